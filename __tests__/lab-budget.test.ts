import { TerraformStack, Testing } from "cdktf";
import { LabBudget, ValidationError } from "../constructs";
import { tempDir, writeTemp } from "./helpers/dbc";
import { labInputs, only, synthLab } from "./helpers/lab";

const ALERTS = [
  { threshold: 50, threshold_type: "Actual" },
  { threshold: 80, threshold_type: "Actual" },
  { threshold: 100, threshold_type: "Actual" },
  { threshold: 100, threshold_type: "Forecasted" },
];

async function budgetOf(env: Record<string, string>) {
  const { json } = synthLab(await labInputs(env));
  return { json, budget: only(json, "azurerm_consumption_budget_subscription") };
}

describe("LAB_BUDGET: a monthly consumption budget on the lab's resource groups", () => {
  test.each([
    ["USD", "one learner", "150", {}],
    ["JPY", "one learner", "22000", { LAB_CURRENCY: "JPY" }],
    ["USD", "a class", "900.50", { LAB_STUDENTS_FILE: "class" }],
    ["JPY", "a class", "135000", { LAB_STUDENTS_FILE: "class", LAB_CURRENCY: "JPY" }],
  ])(
    "%s, %s: the amount as given, both groups, four alerts to the addresses",
    async (_currency, _who, amount, extra) => {
      const env: Record<string, string> = {
        LAB_BUDGET: amount,
        LAB_BUDGET_EMAILS: "Teacher@Example.org, billing@example.org",
        ...extra,
      };
      if (env.LAB_STUDENTS_FILE) env.LAB_STUDENTS_FILE = writeTemp("class.csv", "email\nada@example.org\n", tempDir());
      const { json, budget } = await budgetOf(env);
      expect(budget).toEqual({
        name: "budget-dp090-ddl",
        amount: Number(amount),
        subscription_id: "${data.azurerm_subscription.budget_subscription_4E111CF7.id}",
        time_grain: "Monthly",
        time_period: { start_date: "${formatdate(\"YYYY-MM-01'T'00:00:00Z\", timestamp())}" },
        filter: {
          dimension: [{ name: "ResourceGroupName", operator: "In", values: ["rg-dp090-ddl", "rg-dp090-ddl-managed"] }],
        },
        notification: ALERTS.map((a) => ({
          ...a,
          enabled: true,
          operator: "GreaterThanOrEqualTo",
          contact_emails: ["teacher@example.org", "billing@example.org"],
        })),
        lifecycle: { ignore_changes: ["time_period"] },
      });
      // The JSON holds no date: the same settings give the same bytes on any day.
      expect(JSON.stringify(budget)).not.toMatch(/20\d\d-\d\d/);
      expect(only(json, "azurerm_databricks_workspace").managed_resource_group_name).toBe("rg-dp090-ddl-managed");
      expect(Object.keys(json.data.azurerm_subscription)).toHaveLength(1);
    },
  );

  test("without LAB_BUDGET: no budget and no subscription lookup", async () => {
    const { json } = synthLab(await labInputs());
    expect(json.resource.azurerm_consumption_budget_subscription).toBeUndefined();
    expect(json.data?.azurerm_subscription).toBeUndefined();
  });

  test("the construct refuses props it cannot build from, all at once", () => {
    const stack = new TerraformStack(Testing.app({ outdir: tempDir("app-") }), "s");
    expect(
      () =>
        new LabBudget(stack, "budget", {
          name: "has space",
          amount: 0.5,
          resourceGroupNames: [],
          contactEmails: [],
          alerts: [{ percent: 2.5, of: "Actual" }],
        }),
    ).toThrow(
      new ValidationError(
        "s/budget",
        [
          'name "has space" must be 1 to 63 letters, digits, _ or -',
          "amount 0.5 must be at least 1",
          "resourceGroupNames must name at least one group",
          "contactEmails must name at least one address",
          "alert percent 2.5 must be a whole number from 1 to 1000",
        ],
        "LabBudget",
      ),
    );
  });
});
