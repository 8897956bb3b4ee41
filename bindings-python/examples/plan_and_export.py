"""Plan the AWS calls that build a topology, then export it for other tools."""

from pathlib import Path

import vpclink

topology = Path("examples/three-tier.json")

plan = vpclink.plan(topology)
print(f'{len(plan["steps"])} steps in {len(plan["waves"])} waves')
for wave in plan["waves"][:2]:
    print(wave["steps"])

print(vpclink.render_plan(plan, "text").splitlines()[0])
template: str = vpclink.render(topology, "cloudformation")
Path("template.yaml").write_text(template)

# The template reads back into the same topology, with findings at its lines.
assert vpclink.validate(vpclink.Text(template, "template.yaml"))["summary"]["errors"] == 0

# What would be slow or broken: reachability and cost.
for path in vpclink.reach(topology)["paths"]:
    print(path["route_key"], "→", path.get("target"), path["verdict"]["status"])
print(f'about ${vpclink.estimate_cost(topology)["monthly_usd"]:.2f} a month')
