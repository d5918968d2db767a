import { ConsumptionBudgetSubscription } from "@cdktf/provider-azurerm/lib/consumption-budget-subscription";
import { DataAzurermSubscription } from "@cdktf/provider-azurerm/lib/data-azurerm-subscription";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { Rule, validateAllProps } from "./validate-props";

/** One alert of the budget: a percentage of the amount, of actual or of forecast spend. */
export interface BudgetAlert {
  readonly percent: number;
  readonly of: "Actual" | "Forecasted";
}

/** 50, 80 and 100 % of what was spent, and 100 % of what the month is forecast to cost. */
export const DEFAULT_BUDGET_ALERTS: readonly BudgetAlert[] = [
  { percent: 50, of: "Actual" },
  { percent: 80, of: "Actual" },
  { percent: 100, of: "Actual" },
  { percent: 100, of: "Forecasted" },
];

export interface LabBudgetProps {
  /** The budget's name, unique in the subscription: letters, digits, `_` and `-`, up to 63. */
  readonly name: string;
  /** The monthly amount, in the subscription's billing currency (Azure budgets carry no currency). */
  readonly amount: number;
  /**
   * The resource groups whose cost counts, by name: the lab's and the workspace's managed group, where
   * the cluster VMs, disks and network bill.
   */
  readonly resourceGroupNames: readonly string[];
  /** Who gets the alerts. */
  readonly contactEmails: readonly string[];
  /**
   * When an alert goes out.
   * @default DEFAULT_BUDGET_ALERTS
   */
  readonly alerts?: readonly BudgetAlert[];
}

/** What the Consumption API refuses. */
const LAB_BUDGET_RULES: readonly Rule<LabBudgetProps>[] = [
  {
    prop: "name",
    condition: ({ name }) => !/^[-_a-zA-Z0-9]{1,63}$/.test(name),
    message: ({ name }) => `name ${JSON.stringify(name)} must be 1 to 63 letters, digits, _ or -`,
  },
  {
    prop: "amount",
    condition: ({ amount }) => !(amount >= 1),
    message: ({ amount }) => `amount ${amount} must be at least 1`,
  },
  {
    prop: "resourceGroupNames",
    condition: ({ resourceGroupNames }) => resourceGroupNames.length === 0,
    message: () => "resourceGroupNames must name at least one group",
  },
  {
    prop: "contactEmails",
    condition: ({ contactEmails }) => contactEmails.length === 0,
    message: () => "contactEmails must name at least one address",
  },
  // The Consumption API takes at most five notifications per budget.
  {
    prop: "alerts",
    condition: ({ alerts = [] }) => alerts.length < 1 || alerts.length > 5,
    message: ({ alerts = [] }) => `alerts must be 1 to 5, not ${alerts.length}`,
  },
  {
    items: "alerts",
    problem: (a) =>
      Number.isInteger(a.percent) && a.percent > 0 && a.percent <= 1000
        ? undefined
        : `alert percent ${a.percent} must be a whole number from 1 to 1000`,
  },
];

/**
 * A monthly Azure consumption budget on what the lab costs. A resource-group budget covers one
 * group and the cluster VMs bill in the workspace's managed group, so this is the subscription's
 * budget filtered to the lab's groups (dimension ResourceGroupName), one amount for both.
 *
 * The start date must be the first of a month, and Azure takes one in the past only within the
 * current month: it is computed when Terraform applies (the first of that month, UTC), so the
 * synthesized JSON holds the expression, never a date, and later plans ignore it (changing
 * start_date would replace the budget).
 */
export class LabBudget extends Construct {
  /** Escape hatch: the underlying azurerm resource. */
  public readonly resource: ConsumptionBudgetSubscription;

  constructor(scope: Construct, id: string, props: LabBudgetProps) {
    super(scope, id);
    const alerts = props.alerts ?? DEFAULT_BUDGET_ALERTS;
    validateAllProps(this, "LabBudget", { ...props, alerts }, LAB_BUDGET_RULES);
    const subscription = new DataAzurermSubscription(this, "subscription", {});
    this.resource = new ConsumptionBudgetSubscription(this, "budget", {
      name: props.name,
      subscriptionId: subscription.id,
      amount: props.amount,
      timeGrain: "Monthly",
      timePeriod: { startDate: Fn.formatdate("YYYY-MM-01'T'00:00:00Z", Fn.timestamp()) },
      filter: { dimension: [{ name: "ResourceGroupName", operator: "In", values: [...props.resourceGroupNames] }] },
      notification: alerts.map((a) => ({
        enabled: true,
        threshold: a.percent,
        thresholdType: a.of,
        operator: "GreaterThanOrEqualTo",
        contactEmails: [...props.contactEmails],
      })),
      lifecycle: { ignoreChanges: ["time_period"] },
    });
  }
}
