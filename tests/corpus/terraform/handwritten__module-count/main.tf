# Hand-written for the vpclink Terraform corpus: a REST API → v1 VPC link → internal NLB →
# instances declared by a local module called once per Availability Zone (`count`).

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}

locals {
  azs  = ["${var.region}a", "${var.region}b"]
  port = 8080
}

resource "aws_vpc" "main" {
  cidr_block = var.vpc_cidr
  tags       = { Name = "${var.prefix}-vpc" }
}

resource "aws_subnet" "private" {
  count             = length(local.azs)
  vpc_id            = aws_vpc.main.id
  availability_zone = element(local.azs, count.index)
  cidr_block        = cidrsubnet(var.vpc_cidr, 8, count.index + 1)
  tags              = { Name = format("%s-private-%d", var.prefix, count.index) }
}

resource "aws_security_group" "app" {
  name        = "${var.prefix}-app"
  description = "Backends: the service port from inside the VPC"
  vpc_id      = aws_vpc.main.id

  ingress {
    from_port   = local.port
    to_port     = local.port
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

module "backend" {
  count  = length(local.azs)
  source = "./modules/backend"

  name               = "${var.prefix}-web-${count.index}"
  subnet_id          = aws_subnet.private[count.index].id
  security_group_ids = [aws_security_group.app.id]
  instances          = var.instances_per_zone
}

resource "aws_lb" "nlb" {
  name               = "${var.prefix}-nlb"
  internal           = true
  load_balancer_type = "network"
  subnets            = aws_subnet.private[*].id
}

resource "aws_lb_target_group" "web" {
  name     = "${var.prefix}-web"
  port     = local.port
  protocol = "TCP"
  vpc_id   = aws_vpc.main.id

  health_check {
    protocol = "HTTP"
    path     = "/health"
  }
}

resource "aws_lb_target_group_attachment" "web" {
  count            = length(local.azs) * var.instances_per_zone
  target_group_arn = aws_lb_target_group.web.arn
  target_id        = concat(module.backend[0].instance_ids, module.backend[1].instance_ids)[count.index]
  port             = local.port
}

resource "aws_lb_listener" "tcp" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 80
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}

resource "aws_api_gateway_vpc_link" "link" {
  name        = "${var.prefix}-link"
  target_arns = [aws_lb.nlb.arn]
}

resource "aws_api_gateway_rest_api" "api" {
  name = "${var.prefix}-api"

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "items"
}

resource "aws_api_gateway_method" "get_items" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "get_items" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.items.id
  http_method             = aws_api_gateway_method.get_items.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  uri                     = "http://${aws_lb.nlb.dns_name}/items"
  connection_type         = "VPC_LINK"
  connection_id           = aws_api_gateway_vpc_link.link.id
}

resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  depends_on  = [aws_api_gateway_integration.get_items]

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = "prod"
}
