# ---- runtime: the functions every step below uses ----------------------------------------
# Written for bash 3.2 and later (macOS still ships 3.2): no associative arrays, no mapfile,
# and empty arrays are expanded with ${a[@]+"${a[@]}"} so that `set -u` accepts them.

VL_REGION="${AWS_REGION:-$VL_PLAN_REGION}"
if [[ "$VL_REGION" != "$VL_PLAN_REGION" && -z "${VPCLINK_IGNORE_REGION:-}" ]]; then
  # Availability Zones and ARNs in the plan belong to its Region: stop before creating
  # anything elsewhere.
  printf 'vpclink: AWS_REGION is %s but this plan was made for %s; unset AWS_REGION, plan for %s, or set VPCLINK_IGNORE_REGION=1\n' \
    "$VL_REGION" "$VL_PLAN_REGION" "$VL_REGION" >&2
  exit 2
fi
VL_ENDPOINT_URL="${VPCLINK_ENDPOINT_URL:-${AWS_ENDPOINT_URL:-}}"
VL_AWS=(aws --region "$VL_REGION" --output text)
if [[ -n "$VL_ENDPOINT_URL" ]]; then
  VL_AWS+=(--endpoint-url "$VL_ENDPOINT_URL")
fi
if [[ -n "${VPCLINK_WAIT_INTERVAL:-}" && ! "$VPCLINK_WAIT_INTERVAL" =~ ^[0-9]+$ ]]; then
  printf 'vpclink: VPCLINK_WAIT_INTERVAL must be a whole number of seconds, not %s\n' "$VPCLINK_WAIT_INTERVAL" >&2
  exit 2
fi
if ! command -v aws >/dev/null 2>&1; then
  printf 'vpclink: the AWS CLI (aws) is not on PATH\n' >&2
  exit 2
fi
# No pager (CLI v2); throttling and transient errors are retried by the CLI itself.
export AWS_PAGER=""
export AWS_RETRY_MODE="${AWS_RETRY_MODE:-standard}"
export AWS_MAX_ATTEMPTS="${AWS_MAX_ATTEMPTS:-10}"
VL_ERR="$(mktemp "${TMPDIR:-/tmp}/vpclink.XXXXXX")"
trap 'rm -f "$VL_ERR"' EXIT

# vl_fail STEP MESSAGE: reports the failed step and stops the script.
vl_fail() {
  printf 'vpclink: step %s failed: %s\n' "$1" "$2" >&2
  printf 'vpclink: resources made by earlier steps are left in place; their ids are printed above.\n' >&2
  exit 1
}

# vl_step STEP: a progress line.
vl_step() {
  printf '==> %s\n' "$1"
}

# vl_last_error: the last call's stderr without the blank lines around it.
vl_last_error() {
  local text
  text="$(cat "$VL_ERR")"
  text="${text#"${text%%[![:space:]]*}"}"
  printf '%s' "$text"
}

# vl_error_code: the AWS error code in the last call's stderr ("An error occurred (Code) ...").
vl_error_code() {
  local text
  text="$(cat "$VL_ERR")"
  if [[ "$text" =~ \(([A-Za-z0-9_.:-]+)\)\ when\ calling ]]; then
    printf '%s' "${BASH_REMATCH[1]}"
  fi
}

# vl_call STEP SERVICE OPERATION ARGS...: one AWS CLI call; prints its --output text result.
vl_call() {
  local step="$1"
  shift
  if "${VL_AWS[@]}" "$@" 2>"$VL_ERR"; then
    return 0
  fi
  vl_fail "$step" "aws $1 $2: $(vl_last_error)"
}

# vl_json_escape TEXT: TEXT escaped for the inside of a JSON string. Captured values go
# through it before they are spliced into a request, so no value can change its shape.
vl_json_escape() {
  local s="$1" out="" c i bs='\' q='"'
  s="${s//"$bs"/"$bs$bs"}"
  s="${s//"$q"/"$bs$q"}"
  if [[ "$s" == *[[:cntrl:]]* ]]; then
    for ((i = 0; i < ${#s}; i++)); do
      c="${s:i:1}"
      if [[ "$c" == [[:cntrl:]] ]]; then
        out+="$(printf '\\u%04x' "'$c")"
      else
        out+="$c"
      fi
    done
    s="$out"
  fi
  printf '%s' "$s"
}

# vl_outputs STEP TEXT [NAME VAR AFTER]...: checks the values a call printed (one per
# output, tab-separated) and stores each in VAR, keeping only the part after AFTER when
# AFTER is not empty.
vl_outputs() {
  local step="$1" text="$2" count name var after value i=0
  local -a fields
  shift 2
  count=$(($# / 3))
  if [[ "$text" == *$'\n'* ]]; then
    vl_fail "$step" "the response has more than one value for its outputs: $text"
  fi
  if ((count == 1)); then
    fields=("$text")
  else
    IFS=$'\t' read -r -a fields <<<"$text" || true
  fi
  if ((${#fields[@]} != count)); then
    vl_fail "$step" "expected $count output values in the response, got: $text"
  fi
  while (($# >= 3)); do
    name="$1" var="$2" after="$3"
    shift 3
    value="${fields[$i]}"
    i=$((i + 1))
    if [[ -z "$value" || "$value" == None ]]; then
      vl_fail "$step" "the response has no $name"
    fi
    if [[ "$value" == *$'\t'* ]]; then
      vl_fail "$step" "$name is a list, not one value: $value"
    fi
    if [[ -n "$after" ]]; then
      if [[ "$value" != *"$after"* ]]; then
        vl_fail "$step" "$name ($value) does not contain \"$after\""
      fi
      value="${value#*"$after"}"
    fi
    printf -v "$var" '%s' "$value"
    printf '    %s = %s\n' "$name" "$value"
  done
}

# vl_in WORD LIST...: whether WORD is one of LIST.
vl_in() {
  local word="$1" item
  shift
  for item in "$@"; do
    if [[ "$item" == "$word" ]]; then
      return 0
    fi
  done
  return 1
}

# vl_wait STEP STATUS_QUERY INTERVAL TIMEOUT [--ok STATE]... [--fail STATE]...
#         [--ok-error CODE]... [--message QUERY] -- SERVICE OPERATION ARGS...
# Polls a read call until every state STATUS_QUERY yields is an --ok state. One polling
# loop serves every wait, because the CLI has no waiter for some (apigateway, facts §9.3)
# and the CLI's waiters cannot fail early on a failure state (load_balancer_available has
# no acceptor for `failed`). A --fail state stops the script with the --message text; an
# --ok-error code (NotFoundException once deleted) ends the wait successfully. Other
# not-found errors are eventual consistency just after a create and are polled through;
# any other error stops the script. VPCLINK_WAIT_INTERVAL overrides INTERVAL.
vl_wait() {
  local step="$1" query="$2" interval="$3" timeout="$4" message="" out code last="" seen="" state deadline all_ok want
  local -a ok=() fail=() ok_errors=() states
  shift 4
  while (($# > 0)) && [[ "$1" != -- ]]; do
    case "$1" in
      --ok) ok+=("$2") ;;
      --fail) fail+=("$2") ;;
      --ok-error) ok_errors+=("$2") ;;
      --message) message="$2" ;;
      *) vl_fail "$step" "vl_wait: unknown option $1" ;;
    esac
    shift 2
  done
  shift
  if [[ -n "${VPCLINK_WAIT_INTERVAL:-}" ]]; then
    interval="$VPCLINK_WAIT_INTERVAL"
  fi
  if ((${#ok[@]} > 0)); then
    want="$query to be ${ok[*]}"
  else
    want="$2 to answer ${ok_errors[*]-}"
  fi
  printf '    waiting for %s (every %ss, at most %ss)\n' "$want" "$interval" "$timeout"
  deadline=$((SECONDS + timeout))
  while :; do
    if out="$("${VL_AWS[@]}" "$@" --query "$query" 2>"$VL_ERR")"; then
      states=()
      IFS=$'\t\n' read -r -d '' -a states <<<"$out" || true
      if ((${#states[@]} > 0)); then
        all_ok=1
        for state in "${states[@]}"; do
          if vl_in "$state" ${fail[@]+"${fail[@]}"}; then
            if [[ -n "$message" ]]; then
              out="$("${VL_AWS[@]}" "$@" --query "$message" 2>"$VL_ERR" || true)"
              vl_fail "$step" "$query is $state: $out"
            fi
            vl_fail "$step" "$query is $state"
          fi
          if ! vl_in "$state" ${ok[@]+"${ok[@]}"}; then
            all_ok=0
          fi
        done
        if ((all_ok)); then
          printf '    %s\n' "${states[*]}"
          return 0
        fi
      fi
      last="${states[*]-}"
      if [[ "$last" != "$seen" ]]; then
        printf '    %s\n' "${last:-(no state yet)}"
        seen="$last"
      fi
    else
      code="$(vl_error_code)"
      if [[ -n "$code" ]] && vl_in "$code" ${ok_errors[@]+"${ok_errors[@]}"}; then
        printf '    %s\n' "$code"
        return 0
      fi
      case "$code" in
        *NotFound | *NotFound.* | *NotFoundException | *.NotFound) last="$code" ;;
        *) vl_fail "$step" "aws $1 $2: $(vl_last_error)" ;;
      esac
    fi
    if ((SECONDS >= deadline)); then
      vl_fail "$step" "timed out after ${timeout}s waiting for $want (last: ${last:-nothing})"
    fi
    sleep "$interval"
  done
}
# ---- end of runtime ------------------------------------------------------------------------
