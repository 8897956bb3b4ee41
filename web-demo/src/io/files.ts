// Files in and out of the browser: nothing is uploaded anywhere.

export function download(text: string, filename: string, mime = "text/plain"): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${mime};charset=utf-8` }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.rel = "noopener";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export const EXPORTS = [
  { format: "cloudformation", label: "CloudFormation", file: "template.yaml", mime: "application/yaml" },
  { format: "terraform", label: "Terraform", file: "main.tf", mime: "text/plain" },
  { format: "cli", label: "AWS CLI script", file: "deploy.sh", mime: "text/x-shellscript" },
  { format: "boto3", label: "boto3 calls (JSON)", file: "plan.boto3.json", mime: "application/json" },
  { format: "mermaid", label: "Mermaid diagram", file: "topology.mmd", mime: "text/plain" },
  { format: "text", label: "Plan (text)", file: "plan.txt", mime: "text/plain" },
] as const;

export type ExportFormat = (typeof EXPORTS)[number]["format"];
