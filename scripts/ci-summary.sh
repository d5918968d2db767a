#!/usr/bin/env bash
# scripts/ci-summary.sh "<title>"   (a workflow step with `if: always()`)
#
# Writes the job's step summary from what the earlier steps kept in $RUNNER_TEMP/lab: the synth's
# output (settings problems, a guard's refusal), the plan and its review. It runs whether those steps
# passed or failed, so a failed plan shows why on the run's page, not only deep in its log.
set -uo pipefail
title="$1"
dir="${RUNNER_TEMP:?}/lab"
summary="${GITHUB_STEP_SUMMARY:?}"
# GitHub takes at most 1 MiB of summary per step; a class's plan can be longer.
limit=200000

section() {
  local name="$1" file="$dir/$2"
  [ -s "$file" ] || return 1
  {
    echo "#### $name"
    echo '```'
    head -c "$limit" "$file"
    [ "$(wc -c < "$file")" -gt "$limit" ] && printf '\n… cut here: the whole text is in the job log.'
    echo
    echo '```'
  } >> "$summary"
}

echo "### $title" >> "$summary"
shown=0
section "Synth (settings and state guards)" synth.txt && shown=1
section "Plan" plan.txt && shown=1
section "Plan review" review.txt && shown=1
if [ "$shown" -eq 0 ]; then
  echo "Nothing was planned: the job stopped before the synth (sign-in, install); see its log." >> "$summary"
fi
