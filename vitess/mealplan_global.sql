-- Unsharded keyspace mealplan_global: what is not bound to one customer.

-- meal_id across the meals shards. Start next_id above MAX(meal_id) of the database being moved in.
-- Each vttablet reservation takes `cache` ids at once: ids stay unique and grow in allocation order,
-- with gaps after a failover, as AUTO_INCREMENT already has after a rollback.
CREATE TABLE meals_seq (
  id INT NOT NULL,
  next_id BIGINT NOT NULL,
  cache BIGINT NOT NULL,
  PRIMARY KEY (id)
) COMMENT 'vitess_sequence';
INSERT INTO meals_seq (id, next_id, cache) VALUES (0, 1, 1000);

-- The recommendation catalog, derived from the meals shards and maintained asynchronously
-- (docs/scaling.md, "The one statement not bound to a customer"). Per (rating, calories) cell it
-- keeps the CELL_NAMES newest names (name_key: the name trimmed and lower-cased, as ranking compares
-- names), and per name the newest meal (slot 0) and the newest meal of another customer (slot 1),
-- so that excluding the asking customer still leaves the meal a full scan would have found.
CREATE TABLE meal_catalog (
  rating TINYINT NOT NULL,
  calories INT NOT NULL,
  name_key VARCHAR(200) NOT NULL COLLATE utf8mb4_bin,
  slot TINYINT NOT NULL,
  meal_id BIGINT NOT NULL,
  customer_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  name VARCHAR(200) NOT NULL,
  cuisine VARCHAR(64) NOT NULL,
  eaten_time DATETIME(3) NOT NULL,
  meal_version BIGINT NOT NULL,
  PRIMARY KEY (rating, calories, name_key, slot),
  KEY meal_catalog_rank (rating, calories, meal_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
