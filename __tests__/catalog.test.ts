import { LabVariant } from "../lab/catalog/lab-variant";
import {
  HOROVOD_RUNTIME,
  SUPPORTED_LTS_VERSIONS,
  horovodRuntimeKey,
  parseMlRuntime,
  parseRuntimeKey,
} from "../lab/catalog/runtimes";
import { VM_SIZES, findVmSize } from "../lab/catalog/vm-sizes";
import { PRICE_SNAPSHOT } from "../lab/pricing/price-snapshot";

describe("the VM size table", () => {
  test("every current size has a DBU rate and no retirement; every retired size has a date and no rate", () => {
    for (const size of VM_SIZES) {
      expect([size.name, size.retired === undefined, size.dbuPerHour === undefined]).toEqual([
        size.name,
        size.dbuPerHour !== undefined,
        size.retired !== undefined,
      ]);
    }
  });

  test("names each size once", () => {
    const names = VM_SIZES.map((s) => s.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
  });

  test("every size the price snapshot prices is in it, current", () => {
    const priced = Object.values(PRICE_SNAPSHOT.vm).flatMap((sizes) => Object.keys(sizes));
    for (const name of priced) expect([name, findVmSize(name)?.retired]).toEqual([name, undefined]);
  });

  test.each(LabVariant.ALL.map((f) => [f.name, f]))(
    "the %s variant's default size is current and of the variant's kind",
    (_, variant) => {
      const size = findVmSize(variant.defaultNodeType);
      expect(size?.retired).toBeUndefined();
      expect((size?.gpus ?? 0) > 0).toBe(variant.isGpu);
    },
  );
});

describe("the runtime facts", () => {
  test("the variants' default runtimes are the HorovodRunner runtime, a supported LTS", () => {
    for (const variant of LabVariant.ALL) {
      expect(variant.defaultRuntimeKey).toBe(horovodRuntimeKey(variant.name));
      expect(parseMlRuntime(variant.defaultRuntimeKey)).toMatchObject({
        major: HOROVOD_RUNTIME.major,
        minor: HOROVOD_RUNTIME.minor,
        accelerator: variant.name,
      });
    }
    expect(SUPPORTED_LTS_VERSIONS).toContain(`${HOROVOD_RUNTIME.major}.${HOROVOD_RUNTIME.minor}`);
  });
});

describe("parseRuntimeKey: the one parser of runtime keys", () => {
  test.each([
    ["15.4.x-cpu-ml-scala2.12", { version: "15.4", ml: true, accelerator: "cpu", variant: ["cpu", "ml"] }, true],
    ["15.4.x-gpu-ml-scala2.12", { version: "15.4", ml: true, accelerator: "gpu", variant: ["gpu", "ml"] }, true],
    ["15.4.x-scala2.12", { version: "15.4", ml: false, variant: [] }, false],
    ["15.4.x-photon-scala2.12", { version: "15.4", ml: false, variant: ["photon"] }, false],
    ["16.x.x-cpu-ml-scala2.13", { version: "16.x", major: 16, minor: 0, scala: "2.13" }, true],
  ] as const)("%s", (key, parts, ml) => {
    expect(parseRuntimeKey(key)).toMatchObject({ key, ...parts });
    expect(parseMlRuntime(key) !== undefined).toBe(ml);
  });

  test.each(["15.4", "latest", "15.4.x-cpu-ml", ""])("%j is not a runtime key", (key) => {
    expect(parseRuntimeKey(key)).toBeUndefined();
    expect(parseMlRuntime(key)).toBeUndefined();
  });
});
