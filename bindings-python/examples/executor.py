"""Drive the sans-IO executor: it says which AWS call to make, the host makes it and
reports the answer. vpclink.aws does this with boto3; here a dry run answers every call
with an empty success, so the run stops at the first output it needs."""

import json
import time
from pathlib import Path

import vpclink
from vpclink.types import Action2

plan = vpclink.plan(Path("examples/three-tier.json"))
executor = vpclink.Executor(plan, {"seed": 42, "on_failure": "stop"})
checkpoint = Path("run.checkpoint.json")


def answer(action: Action2) -> None:
    if action["type"] == "call":
        call = action["call"]
        print(f'{action["step"]}: {call["service"]}.{call["operation"]}({json.dumps(call["params"])[:60]}…)')
        executor.complete(action["request_id"], {"type": "success", "response": {}})
    elif action["type"] == "check":
        executor.observe(action["request_id"], {"type": "response", "response": {}})


finished = False
while not finished:
    now_ms = int(time.monotonic() * 1000)
    for action in executor.poll(now_ms):
        if action["type"] == "done" or action["type"] == "failed":
            print(action["type"], action.get("error", ""))
            finished = True
        elif action["type"] == "sleep":
            time.sleep(max(0, action["until_ms"] - now_ms) / 1000)
        else:
            answer(action)
    # Save before acting on the next poll: a crash resumes from here.
    checkpoint.write_text(executor.checkpoint())

for event in executor.events():
    print(event["type"], event.get("step", ""))
resumed = vpclink.Executor.resume(checkpoint.read_text())
print(resumed.status())
