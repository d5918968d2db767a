import { LabRule, NOT_APPLICABLE, compliant, nonCompliant } from "./rule";

/** Resource types of an Azure consumption budget, whatever its scope. */
const BUDGETS = [
  "azurerm_consumption_budget_subscription",
  "azurerm_consumption_budget_resource_group",
  "azurerm_consumption_budget_management_group",
];

/** A class runs a cluster per student: a forgotten one bills for weeks before anyone looks. */
export const classBudgetRule: LabRule = {
  id: "LAB-CLASS-BUDGET",
  rationale:
    "a class runs many clusters at once (40 GPU students cost over 130 USD an hour), and nobody sees the bill until the month ends; a budget e-mails at 50, 80 and 100 % of it.",
  level: "warning",
  fix: "set LAB_BUDGET (a monthly amount) and LAB_BUDGET_EMAILS (who hears about it); `npm run cost` says how many hours a budget covers.",
  check(subject) {
    if (subject.kind !== "stack") return NOT_APPLICABLE;
    const resources = (subject.json.resource ?? {}) as Record<string, Record<string, unknown>>;
    // Workspace users the stack creates are the class's students.
    const students = Object.keys(resources.databricks_user ?? {}).length;
    if (students === 0) return NOT_APPLICABLE;
    if (BUDGETS.some((type) => Object.keys(resources[type] ?? {}).length > 0)) return compliant();
    return nonCompliant(
      `the stack has a class of ${students} student${students === 1 ? "" : "s"} and no consumption budget.`,
    );
  },
};
