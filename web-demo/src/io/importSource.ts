// Which importer chosen files or pasted text go to. A CloudFormation or SAM template is one
// file; a Terraform configuration is the .tf files of a folder (its local modules in
// subfolders) or the JSON of `terraform show -json`.

export type ImportFormat = "cloudformation" | "terraform";

export type ImportRequest =
  | { format: "cloudformation"; text: string; file?: string; label: string }
  | { format: "terraform"; source: string | Record<string, string>; label: string };

/** A chosen file, named by its path below the chosen folder (`/`-separated), or its name. */
export interface ChosenFile {
  path: string;
  text: string;
}

/** The files of a Terraform configuration the importer reads (what `terraform` reads). */
export function isTerraformSource(path: string): boolean {
  const name = path.split("/").pop() ?? path;
  return name.endsWith(".tf") || name === "terraform.tfvars" || name.endsWith(".auto.tfvars");
}

/** Terraform's working directory (providers, module copies): never part of the source. */
export function isTerraformWorkDir(path: string): boolean {
  return path.split("/").some((segment) => segment === ".terraform");
}

// The two checks below are the core's own rules (`is_terraform_json` and `looks_like_hcl`
// in core/src/import/terraform/mod.rs, which the core's `detect` uses), written again here
// because the packages do not export detection by itself; keep them equal.

/** The JSON of `terraform show -json` (a saved plan or the state). */
export function isTerraformJson(text: string): boolean {
  if (!text.trimStart().startsWith("{")) return false;
  try {
    const doc: unknown = JSON.parse(text);
    if (typeof doc !== "object" || doc === null) return false;
    return "format_version" in doc && ("terraform_version" in doc || "planned_values" in doc || "values" in doc);
  } catch {
    return false;
  }
}

const HCL_LINE_STARTS = ['resource "', 'module "', 'provider "', 'variable "', 'data "', "terraform {", "locals {"];

/** Whether text declares a Terraform block at the start of a line. */
function looksLikeHcl(text: string): boolean {
  return text.split("\n").some((line) => {
    const start = line.trimStart();
    return HCL_LINE_STARTS.some((k) => start.startsWith(k));
  });
}

/** The format pasted text is in: Terraform when it is HCL or Terraform's JSON. */
export function detectFormat(text: string): ImportFormat {
  return isTerraformJson(text) || looksLikeHcl(text) ? "terraform" : "cloudformation";
}

/** The request for text pasted into the dialog, in `format` or the detected one. */
export function fromText(text: string, format: ImportFormat | "detect"): ImportRequest {
  const chosen = format === "detect" ? detectFormat(text) : format;
  return chosen === "terraform"
    ? { format: "terraform", source: text, label: "the pasted Terraform" }
    : { format: "cloudformation", text, label: "the pasted template" };
}

/**
 * The request for chosen files: the Terraform files among them as one configuration, or a
 * single template (or `terraform show -json` output); an error message for anything else.
 * `folder` names the chosen folder, if one was chosen.
 */
export function fromFiles(files: ChosenFile[], folder?: string): ImportRequest | string {
  const terraform = files.filter((f) => isTerraformSource(f.path) && !isTerraformWorkDir(f.path));
  if (terraform.length > 0) {
    const source = Object.fromEntries(terraform.map((f) => [f.path, f.text]));
    const label = folder ?? (terraform.length === 1 ? (terraform[0]?.path ?? "") : `${terraform.length} Terraform files`);
    return { format: "terraform", source, label };
  }
  const [only] = files;
  if (files.length === 1 && only) {
    return isTerraformJson(only.text)
      ? { format: "terraform", source: only.text, label: only.path }
      : { format: "cloudformation", text: only.text, file: only.path, label: only.path };
  }
  if (files.length === 0) return folder ? `${folder} has no .tf files.` : "No file was chosen.";
  return "Choose one template, or the .tf files of one Terraform configuration.";
}
