import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BinaryReader } from "@bufbuild/protobuf/wire";
import type { PackageDefinition } from "@grpc/proto-loader";

/** Splits a FileDescriptorSet (`repeated FileDescriptorProto file = 1`) into its encoded files. */
export function splitFileDescriptorSet(bytes: Uint8Array): Buffer[] {
  const reader = new BinaryReader(bytes);
  const files: Buffer[] = [];
  while (reader.pos < reader.len) {
    const [fieldNo, wireType] = reader.tag();
    if (fieldNo === 1) files.push(Buffer.from(reader.bytes()));
    else reader.skip(wireType);
  }
  return files;
}

/**
 * What @grpc/reflection needs, built from the FileDescriptorSets `buf build`
 * wrote at build time into @mealplan/client. proto-loader's own descriptors
 * lose imports and map entry names, and buf curl and grpcurl then cannot
 * resolve any method.
 */
export function loadReflectionDescriptors(setNames = ["mealplan.binpb", "health.binpb"]): PackageDefinition {
  const fileDescriptorProtos = setNames.flatMap((name) =>
    splitFileDescriptorSet(readFileSync(fileURLToPath(import.meta.resolve(`@mealplan/client/descriptors/${name}`)))),
  );
  return { mealplan: { fileDescriptorProtos } } as unknown as PackageDefinition;
}
