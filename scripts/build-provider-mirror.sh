#!/usr/bin/env bash
# scripts/build-provider-mirror.sh AZURERM_SRC DATABRICKS_SRC [MIRROR]
#
# Builds the two Terraform providers the stack pins (azurerm 4.55.0, databricks 1.99.0) from their
# source trees and lays them out as a Terraform filesystem mirror, for machines that cannot reach
# the Terraform registry (npm run validate picks it up). The sources are the providers' git
# repositories at the tags v4.55.0 (commit 37bf7f03b661b804a59fd62fd6f6e6b8ee4a69df) and v1.99.0
# (commit 89280eb5b7e2a0ddf5d0a3ef99087e1683d9c0fa); the Go module proxy does not serve either
# module at those versions, so `go install module@version` cannot replace the checkout.
# Dependencies come from the Go module proxy (databricks) or the checkout's vendor/ (azurerm).
# Measured on 2 cores: azurerm 10 min, 4.8 GiB peak memory, 5.3 GB of Go build cache; databricks
# 1.5 min, 1 GiB. Nothing built here belongs in the repository.
set -euo pipefail
azurerm_src="$(cd "$1" && pwd)"
databricks_src="$(cd "$2" && pwd)"
mirror="${3:-$HOME/.cache/dp090-lab/terraform-mirror}"
platform="$(go env GOOS)_$(go env GOARCH)"

build() { # build SRC NAMESPACE NAME VERSION
  local dir="$mirror/registry.terraform.io/$2/$3/$4/$platform"
  mkdir -p "$dir"
  echo "building $2/$3 $4 from $1 ..."
  (cd "$1" && CGO_ENABLED=0 nice go build -trimpath -ldflags "-s -w" -o "$dir/terraform-provider-$3_v$4" .)
}

build "$azurerm_src" hashicorp azurerm 4.55.0
build "$databricks_src" databricks databricks 1.99.0
echo "mirror ready: $mirror"
