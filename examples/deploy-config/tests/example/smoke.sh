#!/usr/bin/env bash
# Example smoke test: copy to tests/<service>/smoke.sh and adapt. Runs in CodeBuild after each
# pre-production deploy, with BASE_URL, SERVICE_NAME, ENVIRONMENT, HEALTH_CHECK_PATH and
# IMAGE_DIGEST set. Exit non-zero to stop the release before the approval.
set -euo pipefail
curl --fail --silent --show-error --max-time 10 --retry 6 --retry-delay 10 --retry-all-errors \
  "${BASE_URL}${HEALTH_CHECK_PATH}"
