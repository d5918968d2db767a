import { HOROVOD_PROCESSES } from "../catalog/limits";
import { findVmSize, isGpuSize } from "../catalog/vm-sizes";
import type { SettingKey, SettingValues } from "./all-settings";
import { nodeTypeFix } from "./lab-settings";

export type CrossRuleFinding =
  | { readonly level: "error"; readonly setting: string; readonly problem: string; readonly fix: string }
  | { readonly level: "warning"; readonly setting: string; readonly message: string };

/**
 * A rule about two or more settings together. It names the settings it `reads` and sees only
 * those (a setting it reads but does not name is a compile error), and it runs only when every
 * one of them is valid.
 */
export interface CrossRule<K extends SettingKey = SettingKey> {
  readonly name: string;
  readonly reads: readonly K[];
  check(input: Pick<SettingValues, K>): CrossRuleFinding | undefined;
}

/** Declares a rule; the settings it may read are inferred from `reads`. */
function crossRule<K extends SettingKey>(rule: CrossRule<K>): CrossRule<K> {
  return rule;
}

export const CROSS_RULES: readonly CrossRule[] = [
  crossRule({
    name: "node type fits the variant",
    reads: ["variant", "nodeType"],
    check({ variant, nodeType }) {
      if (variant.isGpu && !isGpuSize(nodeType)) {
        return {
          level: "error",
          setting: "LAB_NODE_TYPE",
          problem: "must be a GPU VM size (N-series) for LAB_VARIANT=gpu.",
          fix: nodeTypeFix(variant),
        };
      }
      if (!variant.isGpu && isGpuSize(nodeType)) {
        return {
          level: "error",
          setting: "LAB_NODE_TYPE",
          problem: "must be a non-GPU VM size for LAB_VARIANT=cpu (a GPU size needs a -gpu-ml- runtime).",
          fix: `${nodeTypeFix(variant).replace(/\.$/, "")}, or set LAB_VARIANT=gpu.`,
        };
      }
      return undefined;
    },
  }),
  crossRule({
    name: "workers give HorovodRunner its task slots",
    reads: ["variant", "nodeType", "workers"],
    check({ variant, nodeType, workers }) {
      const size = findVmSize(nodeType);
      if (!size) {
        return {
          level: "warning",
          setting: "LAB_NODE_TYPE",
          message: `${nodeType} is not in the lab's size table, so whether ${workers} worker(s) give the notebook's HorovodRunner(np=${HOROVOD_PROCESSES}) enough ${variant.slotUnit}s was not checked.`,
        };
      }
      const slots = variant.taskSlots(size, workers);
      if (slots >= HOROVOD_PROCESSES) return undefined;
      return {
        level: "warning",
        setting: "LAB_WORKERS",
        message: `${workers} x ${size.name} give ${slots} ${variant.slotUnit} task slot(s); the notebook's HorovodRunner(np=${HOROVOD_PROCESSES}) needs ${HOROVOD_PROCESSES} and will wait for them. Add workers or pick a larger size.`,
      };
    },
  }),
  crossRule({
    name: "auto-termination within the cost policy's limit",
    reads: ["autoterminationMinutes", "maxAutoterminationMinutes"],
    check({ autoterminationMinutes, maxAutoterminationMinutes }) {
      if (autoterminationMinutes <= maxAutoterminationMinutes) return undefined;
      return {
        level: "error",
        setting: "LAB_AUTOTERMINATION_MINUTES",
        problem: `must be at most ${maxAutoterminationMinutes} minutes, the cost policy's limit (an idle cluster bills VMs and DBUs).`,
        fix: `lower it, or raise the limit on purpose with LAB_MAX_AUTOTERMINATION_MINUTES=${autoterminationMinutes}.`,
      };
    },
  }),
  crossRule({
    name: "a budget has someone to alert",
    reads: ["budget", "budgetEmails"],
    check({ budget, budgetEmails }) {
      if (budget === undefined && budgetEmails.length > 0) {
        return {
          level: "warning",
          setting: "LAB_BUDGET_EMAILS",
          message: "ignored: LAB_BUDGET is not set, so there is no budget.",
        };
      }
      if (budget === undefined || budgetEmails.length > 0) return undefined;
      // The Consumption API wants a contact e-mail (or action group) on every alert of a subscription's budget.
      return {
        level: "error",
        setting: "LAB_BUDGET_EMAILS",
        problem: "must name at least one address when LAB_BUDGET is set: Azure sends the budget's alerts there.",
        fix: "set LAB_BUDGET_EMAILS=you@example.org (several: separated by commas).",
      };
    },
  }),
];
