# One image for both services; docker-compose.yml picks the entry point.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY client/package.json client/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY client/package.json client/
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
# @mealplan/client, which the services import: its compiled code and the FileDescriptorSets reflection serves.
COPY --from=build /app/client/dist ./client/dist
COPY --from=build /app/client/gen/descriptors ./client/gen/descriptors
USER node
