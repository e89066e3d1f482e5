#!/usr/bin/env bash
# Runs Terraform over every stack CI owns, in deploy order (scripts/stack-order.ts reads the order
# from cdktf.out/manifest.json, so new stacks need no workflow change). Run after `npm run synth`,
# with AWS credentials in the environment.
#
#   scripts/ci/terraform-stacks.sh plan|drift|apply OUT_DIR
#
#   plan   init + plan -out for each stack; writes OUT_DIR/<stack>.json (terraform show -json),
#          <stack>.txt (terraform show -no-color) and, when a step fails, <stack>.log. Keeps going
#          after a failure (a consumer may fail only because its producer is not applied yet; the
#          PR comment shows which), exits 1 at the end if any stack failed.
#   drift  the same with -detailed-exitcode (2 = differences, which is not a failure).
#   apply  init + plan -out + apply of that saved plan, stack by stack; stops at the first failure
#          because later stacks read the earlier ones' outputs.
#
# PLATFORM_OUTDIR overrides cdktf.out. Writes `stacks=a,b,c` to $GITHUB_OUTPUT. INFRA_GITHUB_TOKEN, if set, is passed as GITHUB_TOKEN
# only to stacks that use the GitHub provider.
set -uo pipefail

mode="${1:?usage: terraform-stacks.sh plan|drift|apply OUT_DIR}"
out="${2:?usage: terraform-stacks.sh plan|drift|apply OUT_DIR}"
case "$mode" in plan | drift | apply) ;; *)
  echo "unknown mode: $mode" >&2
  exit 2
  ;;
esac
mkdir -p "$out"

outdir="${PLATFORM_OUTDIR:-cdktf.out}"
# STACKS (space-separated ids, in order) overrides the computed order for a local re-run.
stacks="${STACKS:-$(npx tsx scripts/stack-order.ts --outdir "$outdir")}" || exit 1
echo "stacks=$(echo $stacks | tr ' ' ',')" >>"${GITHUB_OUTPUT:-/dev/null}"
echo "Stacks in deploy order: $(echo $stacks)"

export TF_IN_AUTOMATION=1 TF_INPUT=0

failed=0
for stack in $stacks; do
  dir="$outdir/stacks/$stack"
  echo "::group::$mode $stack"
  token=""
  if jq -e '.terraform.required_providers.github' "$dir/cdk.tf.json" >/dev/null 2>&1; then
    token="${INFRA_GITHUB_TOKEN:-}"
  fi
  run() { GITHUB_TOKEN="$token" terraform -chdir="$dir" "$@"; }

  if ! run init -input=false -no-color >"$out/$stack.init" 2>&1; then
    cat "$out/$stack.init"
    mv "$out/$stack.init" "$out/$stack.log"
    echo "::endgroup::"
    echo "::error::terraform init failed for $stack"
    failed=1
    [ "$mode" = apply ] && break
    continue
  fi
  rm -f "$out/$stack.init"

  extra=()
  [ "$mode" = drift ] && extra=(-detailed-exitcode)
  run plan -input=false -no-color -lock-timeout=5m -out=plan.tfplan "${extra[@]}" 2>&1 | tee "$out/$stack.plan"
  code=${PIPESTATUS[0]}
  if [ "$code" -ne 0 ] && ! { [ "$mode" = drift ] && [ "$code" -eq 2 ]; }; then
    mv "$out/$stack.plan" "$out/$stack.log"
    echo "::endgroup::"
    echo "::error::terraform plan failed for $stack"
    failed=1
    [ "$mode" = apply ] && break
    continue
  fi
  rm -f "$out/$stack.plan"
  run show -json plan.tfplan >"$out/$stack.json"
  run show -no-color plan.tfplan >"$out/$stack.txt"

  if [ "$mode" = apply ]; then
    if ! run apply -input=false -no-color -lock-timeout=5m plan.tfplan; then
      echo "::endgroup::"
      echo "::error::terraform apply failed for $stack; later stacks were not applied"
      failed=1
      break
    fi
  fi
  echo "::endgroup::"
done
exit "$failed"
