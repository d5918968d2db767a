import { ClusterFlavor } from "../lab/catalog/cluster-flavor";
import { HOROVOD_RUNTIME, SUPPORTED_LTS_VERSIONS, horovodRuntimeKey, parseMlRuntime } from "../lab/catalog/runtimes";
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

  test.each(ClusterFlavor.ALL.map((f) => [f.name, f]))(
    "the %s flavor's default size is current and of the flavor's kind",
    (_, flavor) => {
      const size = findVmSize(flavor.defaultNodeType);
      expect(size?.retired).toBeUndefined();
      expect((size?.gpus ?? 0) > 0).toBe(flavor.isGpu);
    },
  );
});

describe("the runtime facts", () => {
  test("the flavors' default runtimes are the HorovodRunner runtime, a supported LTS", () => {
    for (const flavor of ClusterFlavor.ALL) {
      expect(flavor.defaultRuntimeKey).toBe(horovodRuntimeKey(flavor.name));
      expect(parseMlRuntime(flavor.defaultRuntimeKey)).toMatchObject({
        major: HOROVOD_RUNTIME.major,
        minor: HOROVOD_RUNTIME.minor,
        accelerator: flavor.name,
      });
    }
    expect(SUPPORTED_LTS_VERSIONS).toContain(`${HOROVOD_RUNTIME.major}.${HOROVOD_RUNTIME.minor}`);
  });
});
