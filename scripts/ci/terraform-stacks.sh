#!/usr/bin/env bash
# Runs Terraform over every stack CI owns, in deploy order (scripts/stack-order.ts reads the order
# from cdktf.out/manifest.json, so new stacks need no workflow change). Run after `npm run synth`,
# with AWS credentials in the environment. `apply` never touches the administrator-only stacks
# (the GitHub OIDC stacks, which create the roles CI assumes); `plan` and `drift` include them.
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
# PLATFORM_OUTDIR overrides cdktf.out. Writes `stacks=a,b,c` to $GITHUB_OUTPUT.
# STACKS (space-separated ids) runs only those stacks, in deploy order: the first-deploy
# runbook applies the CI stacks in groups with operator steps in between (deploy.yml's
# workflow_dispatch input `stacks`). Each must be one this mode may run, or nothing runs.
# INFRA_GITHUB_TOKEN, if set, is passed as GITHUB_TOKEN only to stacks that use the GitHub provider;
# the HCP token (TF_TOKEN_<host>) as TFE_TOKEN only to the stack that uses the tfe provider.
#
# Accounts: every stack writes to one account (one AWS provider account per stack). The job's
# credentials (configure-aws-credentials) are the tooling account's role; a stack whose provider
# targets another account without assuming a role there (no `environments.<env>.deployRoleArn`)
# runs with that account's role from ROLE_ARNS (JSON account id -> role ARN, the github-repos
# stack's INFRA_PLAN_ROLE_ARNS / INFRA_APPLY_ROLE_ARNS), assumed with the job's own GitHub OIDC
# token, so its `allowed_account_ids` guard holds. This is the runbook's "CI" credential for each
# stack (src/model/runbook.ts); the rehearsal checks that each of those roles exists, trusts the
# deploy job and can use the state.
#
# HCP Terraform remote execution (state.execution: remote): the same commands start CLI-driven
# runs in the stacks' workspaces (the stack directory is uploaded as the configuration); `plan
# -out` saves a cloud plan and `apply plan.tfplan` confirms exactly that run (Terraform >= 1.6).
# The runs assume the workspace's HCP plan/apply roles themselves, so the job needs only the
# HCP token (TF_TOKEN_<host>) and ROLE_ARNS is empty.
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
order_mode=plan
[ "$mode" = apply ] && order_mode=apply
# One call: the stacks this mode may run, in deploy order, and which of them run in HCP Terraform
# (state.execution: remote).
order="$(node scripts/run-built.cjs scripts/stack-order.ts --outdir "$outdir" --mode "$order_mode" --execution)" || exit 1
allowed="$(cut -f1 <<<"$order")"
remote_stacks="$(awk -F'\t' '$2 == "remote" { print $1 }' <<<"$order")"
# Whether the newline-separated list $2 holds the line $1.
listed() { [[ $'\n'"$2"$'\n' == *$'\n'"$1"$'\n'* ]]; }
is_remote() { listed "$1" "$remote_stacks"; }

if [ -n "${STACKS:-}" ]; then
  stacks=""
  for wanted in $STACKS; do
    if ! listed "$wanted" "$allowed"; then
      echo "::error::STACKS: \"$wanted\" is not a stack CI may $mode here; allowed: $(echo $allowed)" >&2
      exit 2
    fi
  done
  # Deploy order, whatever order they were given in.
  for id in $allowed; do
    for wanted in $STACKS; do [ "$id" = "$wanted" ] && stacks="$stacks $id"; done
  done
else
  stacks="$allowed"
fi
echo "stacks=$(echo $stacks | tr ' ' ',')" >>"${GITHUB_OUTPUT:-/dev/null}"
echo "Stacks in deploy order: $(echo $stacks)"

export TF_IN_AUTOMATION=1 TF_INPUT=0

ambient_account=""
if [ -n "${ROLE_ARNS:-}" ]; then
  ambient_account="$(aws sts get-caller-identity --query Account --output text 2>/dev/null || true)"
fi

# What the loop needs from a stack's JSON, read in one jq run, as `github|tfe host|account|cloud
# host`: whether it uses the GitHub provider, the tfe provider's host, the single account its AWS
# providers target without assuming a role (if exactly one), and its HCP Terraform host.
stack_facts() {
  jq -r '[
      (if .terraform.required_providers.github then "github" else "" end),
      (.provider.tfe[0].hostname // ""),
      ([.provider.aws[]? | select(.assume_role == null) | .allowed_account_ids[]?] | unique
        | if length == 1 then .[0] else "" end),
      (.terraform.cloud.hostname // "")
    ] | join("|")' "$1/cdk.tf.json"
}


# The redacted JSON plan of HCP Terraform run $1 on host $2 (the run's plan id, then the plan's
# json-output-redacted, as Terraform's own cloud backend reads it), with the CLI's token for that
# host (TF_TOKEN_<host>, dots as _ and hyphens as __).
run_json() {
  local var auth plan
  var="TF_TOKEN_$(sed 's/-/__/g; s/\./_/g' <<<"$2")"
  auth="Authorization: Bearer ${!var:-}"
  plan="$(curl -sSf -H "$auth" "https://$2/api/v2/runs/$1" | jq -r '.data.relationships.plan.data.id // empty')"
  [ -n "$plan" ] || return 1
  curl -sSfL -H "$auth" "https://$2/api/v2/plans/$plan/json-output-redacted"
}

# Prints `KEY=value` lines of credentials for `role`, assumed with the job's GitHub OIDC token.
assume_with_oidc() {
  local role="$1" session="$2" token creds
  token="$(curl -sSf -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" \
    "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=sts.amazonaws.com" | jq -r .value)" || return 1
  creds="$(aws sts assume-role-with-web-identity --role-arn "$role" --role-session-name "$session" \
    --web-identity-token "$token" --duration-seconds 3600 --output json)" || return 1
  jq -r '.Credentials | "AWS_ACCESS_KEY_ID=\(.AccessKeyId)\nAWS_SECRET_ACCESS_KEY=\(.SecretAccessKey)\nAWS_SESSION_TOKEN=\(.SessionToken)"' <<<"$creds"
}

failed=0
for stack in $stacks; do
  dir="$outdir/stacks/$stack"
  echo "::group::$mode $stack"
  uses_github="" tfe_host="" account="" host=""
  IFS='|' read -r uses_github tfe_host account host < <(stack_facts "$dir")
  token=""
  [ -n "$uses_github" ] && token="${INFRA_GITHUB_TOKEN:-}"
  creds=()
  # The hcp-workspaces stack's tfe provider reads TFE_TOKEN: the job's HCP token for its host.
  if [ -n "$tfe_host" ]; then
    tfe_var="TF_TOKEN_$(sed 's/-/__/g; s/\./_/g' <<<"$tfe_host")"
    creds+=("TFE_TOKEN=${!tfe_var:-}")
  fi
  if [ -n "$account" ] && [ -n "$ambient_account" ] && [ "$account" != "$ambient_account" ]; then
    role="$(jq -r --arg a "$account" '.[$a] // empty' <<<"$ROLE_ARNS")"
    if [ -n "$role" ]; then
      echo "Using $role for $stack (account $account)"
      if pairs="$(assume_with_oidc "$role" "${mode}-${stack}")"; then
        mapfile -t -O "${#creds[@]}" creds <<<"$pairs"
      else
        echo "::error::could not assume $role for $stack"
        echo "could not assume $role with the job's OIDC token" >"$out/$stack.log"
        failed=1
        echo "::endgroup::"
        [ "$mode" = apply ] && break
        continue
      fi
      for pair in "${creds[@]}"; do echo "::add-mask::${pair#*=}"; done
    fi
  fi
  run() { env "${creds[@]}" GITHUB_TOKEN="$token" terraform -chdir="$dir" "$@"; }

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
  if [ -n "$host" ] && is_remote "$stack" && [ "$mode" != apply ]; then
    # A speculative run: it can never be confirmed, so no pull-request configuration ever sits
    # in a workspace as an applyable run.
    run plan -input=false -no-color "${extra[@]}" 2>&1 | tee "$out/$stack.plan"
    code=${PIPESTATUS[0]}
  else
    # Local plans of HCP workspaces (the bootstrap stacks) read state without locking in
    # plan/drift mode: pull requests' token may read and plan, not lock.
    lock=(-lock-timeout=5m)
    [ -n "$host" ] && [ "$mode" != apply ] && lock=(-lock=false)
    run plan -input=false -no-color "${lock[@]}" -out=plan.tfplan "${extra[@]}" 2>&1 | tee "$out/$stack.plan"
    code=${PIPESTATUS[0]}
  fi
  if [ "$code" -ne 0 ] && ! { [ "$mode" = drift ] && [ "$code" -eq 2 ]; }; then
    mv "$out/$stack.plan" "$out/$stack.log"
    echo "::endgroup::"
    echo "::error::terraform plan failed for $stack"
    failed=1
    [ "$mode" = apply ] && break
    continue
  fi
  if [ -n "$host" ] && is_remote "$stack"; then
    # `terraform show -json` of an HCP run asks for the unredacted plan (workspace admins only):
    # fetch the redacted JSON of the run instead, as HCP Terraform's own UI does.
    if [ "$mode" = apply ]; then
      run_id="$(jq -r '.run_id // empty' "$dir/plan.tfplan" 2>/dev/null)"
      shown="$(run show -no-color plan.tfplan 2>&1)" && printf '%s\n' "$shown" >"$out/$stack.txt"
    else
      run_id="$(grep -oE 'runs/run-[A-Za-z0-9]+' "$out/$stack.plan" | tail -n 1 | cut -d/ -f2)"
      cp "$out/$stack.plan" "$out/$stack.txt"
    fi
    if [ -z "$run_id" ] || ! run_json "$run_id" "$host" >"$out/$stack.json"; then
      echo "::error::could not read the plan of $stack's HCP Terraform run ${run_id:-(no run id)}"
      echo "no JSON plan for run ${run_id:-(no run id)}" >"$out/$stack.log"
      failed=1
      echo "::endgroup::"
      [ "$mode" = apply ] && break
      continue
    fi
  elif ! run show -json plan.tfplan >"$out/$stack.json" || ! run show -no-color plan.tfplan >"$out/$stack.txt"; then
    echo "::error::terraform show failed for $stack"
    echo "terraform show failed" >"$out/$stack.log"
    failed=1
    echo "::endgroup::"
    [ "$mode" = apply ] && break
    continue
  fi
  rm -f "$out/$stack.plan"

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
