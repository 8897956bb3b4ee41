import { describe, expect, it } from "vitest";
import { detectFormat, fromFiles, fromText, isTerraformJson, isTerraformSource, isTerraformWorkDir } from "../src/io/importSource";

const HCL = 'variable "region" {\n  default = "us-east-1"\n}\n\nresource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n';
const PLAN = JSON.stringify({ format_version: "1.2", terraform_version: "1.9.0", planned_values: { root_module: {} } });
const TEMPLATE = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n";

describe("import source", () => {
  it("knows the files Terraform reads", () => {
    for (const p of ["main.tf", "modules/net/main.tf", "terraform.tfvars", "prod.auto.tfvars"]) expect(isTerraformSource(p)).toBe(true);
    for (const p of ["prod.tfvars", "main.tf.json", "README.md", "template.yaml", "main.tfstate"]) expect(isTerraformSource(p)).toBe(false);
    expect(isTerraformWorkDir(".terraform/modules/vpc/main.tf")).toBe(true);
    expect(isTerraformWorkDir("env/.terraform/x.tf")).toBe(true);
    expect(isTerraformWorkDir("modules/terraform/main.tf")).toBe(false);
  });

  it("tells Terraform's JSON from a JSON template", () => {
    expect(isTerraformJson(PLAN)).toBe(true);
    // State JSON may lack the Terraform version; the core reads it as Terraform too.
    expect(isTerraformJson(JSON.stringify({ format_version: "1.0", values: { root_module: {} } }))).toBe(true);
    expect(isTerraformJson(JSON.stringify({ format_version: "1.0" }))).toBe(false);
    expect(isTerraformJson(JSON.stringify({ Resources: {} }))).toBe(false);
    expect(isTerraformJson("{ not json")).toBe(false);
    expect(isTerraformJson(HCL)).toBe(false);
  });

  it("detects pasted HCL and Terraform JSON, and takes anything else for a template", () => {
    expect(detectFormat(HCL)).toBe("terraform");
    expect(detectFormat(PLAN)).toBe("terraform");
    expect(detectFormat(TEMPLATE)).toBe("cloudformation");
    // A template that mentions a resource in a description is still a template.
    expect(detectFormat('Description: resource "x" is made here\nResources: {}\n')).toBe("cloudformation");
    // Blocks the core does not take as a sign of HCL are not one here either.
    expect(detectFormat('output "url" {\n  value = 1\n}\n')).toBe("cloudformation");
    expect(detectFormat('  locals {\n    a = 1\n  }\n')).toBe("terraform");
  });

  it("lets the chosen format win over detection", () => {
    expect(fromText(HCL, "cloudformation")).toEqual({ format: "cloudformation", text: HCL, label: "the pasted template" });
    expect(fromText(TEMPLATE, "detect")).toMatchObject({ format: "cloudformation" });
    expect(fromText(HCL, "detect")).toEqual({ format: "terraform", source: HCL, label: "the pasted Terraform" });
  });

  it("reads the .tf files among chosen files as one configuration, by their paths", () => {
    const r = fromFiles(
      [
        { path: "main.tf", text: HCL },
        { path: "modules/net/main.tf", text: HCL },
        { path: "README.md", text: "# notes" },
        { path: ".terraform/modules/x/main.tf", text: "ignored" },
      ],
      "infra",
    );
    expect(r).toEqual({ format: "terraform", source: { "main.tf": HCL, "modules/net/main.tf": HCL }, label: "infra" });
    expect(fromFiles([{ path: "a.tf", text: HCL }, { path: "b.tf", text: HCL }])).toMatchObject({ label: "2 Terraform files" });
  });

  it("reads one file as a template or as Terraform's JSON, and refuses several templates", () => {
    expect(fromFiles([{ path: "t.yaml", text: TEMPLATE }])).toEqual({ format: "cloudformation", text: TEMPLATE, file: "t.yaml", label: "t.yaml" });
    expect(fromFiles([{ path: "plan.json", text: PLAN }])).toEqual({ format: "terraform", source: PLAN, label: "plan.json" });
    expect(fromFiles([{ path: "a.yaml", text: TEMPLATE }, { path: "b.yaml", text: TEMPLATE }])).toMatch(/one template/);
    expect(fromFiles([], "empty")).toBe("empty has no .tf files.");
  });
});
