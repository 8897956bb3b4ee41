# Private API path exported by vpclink: API Gateway, VPC link, load balancer,
# targets and their network.
#
# Note: HTTP API `orders` stage `$default`: HTTP APIs have no execution logging; use access logs (access_log_destination) instead.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "aws_ssm_parameter" "al2023_ami" {
  # The latest Amazon Linux 2023 AMI, for instances that name no image.
  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

resource "aws_vpc" "app" {
  cidr_block = "10.0.0.0/16"

  tags = {
    Name           = "orders-vpc"
    "vpclink:id"   = "app"
    "vpclink:kind" = "vpcs"
  }
}

resource "aws_subnet" "link_a" {
  vpc_id            = aws_vpc.app.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.0.201.0/24"

  tags = {
    Name           = "link-a"
    "vpclink:id"   = "link-a"
    "vpclink:kind" = "subnets"
  }
}

resource "aws_subnet" "link_b" {
  vpc_id            = aws_vpc.app.id
  availability_zone = "us-east-1b"
  cidr_block        = "10.0.202.0/24"

  tags = {
    Name           = "link-b"
    "vpclink:id"   = "link-b"
    "vpclink:kind" = "subnets"
  }
}

resource "aws_subnet" "nlb_a" {
  vpc_id            = aws_vpc.app.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.0.101.0/24"

  tags = {
    Name           = "nlb-a"
    "vpclink:id"   = "nlb-a"
    "vpclink:kind" = "subnets"
  }
}

resource "aws_subnet" "nlb_b" {
  vpc_id            = aws_vpc.app.id
  availability_zone = "us-east-1b"
  cidr_block        = "10.0.102.0/24"

  tags = {
    Name           = "nlb-b"
    "vpclink:id"   = "nlb-b"
    "vpclink:kind" = "subnets"
  }
}

resource "aws_subnet" "private_a" {
  vpc_id            = aws_vpc.app.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.0.1.0/24"

  tags = {
    Name           = "private-a"
    "vpclink:id"   = "private-a"
    "vpclink:kind" = "subnets"
  }
}

resource "aws_subnet" "private_b" {
  vpc_id            = aws_vpc.app.id
  availability_zone = "us-east-1b"
  cidr_block        = "10.0.2.0/24"

  tags = {
    Name           = "private-b"
    "vpclink:id"   = "private-b"
    "vpclink:kind" = "subnets"
  }
}

resource "aws_network_acl" "nlb" {
  vpc_id = aws_vpc.app.id

  tags = {
    Name           = "nlb"
    "vpclink:id"   = "nlb"
    "vpclink:kind" = "network_acls"
  }
}

resource "aws_network_acl_rule" "nlb_ingress_100" {
  network_acl_id = aws_network_acl.nlb.id
  rule_number    = 100
  egress         = false
  protocol       = "6"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 80
  to_port        = 80
}

resource "aws_network_acl_rule" "nlb_ingress_110" {
  network_acl_id = aws_network_acl.nlb.id
  rule_number    = 110
  egress         = false
  protocol       = "6"
  rule_action    = "allow"
  cidr_block     = "10.0.0.0/20"
  from_port      = 1024
  to_port        = 65535
}

resource "aws_network_acl_rule" "nlb_egress_100" {
  network_acl_id = aws_network_acl.nlb.id
  rule_number    = 100
  egress         = true
  protocol       = "6"
  rule_action    = "allow"
  cidr_block     = "10.0.0.0/20"
  from_port      = 8080
  to_port        = 8080
}

resource "aws_network_acl_rule" "nlb_egress_110" {
  network_acl_id = aws_network_acl.nlb.id
  rule_number    = 110
  egress         = true
  protocol       = "6"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 1024
  to_port        = 65535
}

resource "aws_network_acl" "private" {
  vpc_id = aws_vpc.app.id

  tags = {
    Name           = "private"
    "vpclink:id"   = "private"
    "vpclink:kind" = "network_acls"
  }
}

resource "aws_network_acl_rule" "private_ingress_100" {
  network_acl_id = aws_network_acl.private.id
  rule_number    = 100
  egress         = false
  protocol       = "6"
  rule_action    = "allow"
  cidr_block     = "10.0.100.0/22"
  from_port      = 8080
  to_port        = 8080
}

resource "aws_network_acl_rule" "private_egress_100" {
  network_acl_id = aws_network_acl.private.id
  rule_number    = 100
  egress         = true
  protocol       = "6"
  rule_action    = "allow"
  cidr_block     = "10.0.100.0/22"
  from_port      = 1024
  to_port        = 65535
}

resource "aws_network_acl_association" "nlb_a" {
  network_acl_id = aws_network_acl.nlb.id
  subnet_id      = aws_subnet.nlb_a.id
}

resource "aws_network_acl_association" "nlb_b" {
  network_acl_id = aws_network_acl.nlb.id
  subnet_id      = aws_subnet.nlb_b.id
}

resource "aws_network_acl_association" "private_a" {
  network_acl_id = aws_network_acl.private.id
  subnet_id      = aws_subnet.private_a.id
}

resource "aws_network_acl_association" "private_b" {
  network_acl_id = aws_network_acl.private.id
  subnet_id      = aws_subnet.private_b.id
}

resource "aws_security_group" "app" {
  description = "Application instances"
  vpc_id      = aws_vpc.app.id

  tags = {
    Name           = "app"
    "vpclink:id"   = "app"
    "vpclink:kind" = "security_groups"
  }
}

resource "aws_vpc_security_group_ingress_rule" "app_0" {
  security_group_id            = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.nlb.id
  description                  = "traffic and health checks from the NLB"

  tags = {
    "vpclink:id"      = "app"
    "vpclink:kind"    = "security_groups"
    "vpclink:ingress" = "0"
  }
}

resource "aws_vpc_security_group_egress_rule" "app_all_ipv4" {
  security_group_id = aws_security_group.app.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
  description       = "AWS default: all outbound traffic"

  tags = {
    "vpclink:id"     = "app"
    "vpclink:kind"   = "security_groups"
    "vpclink:egress" = "default"
  }
}

resource "aws_security_group" "link" {
  description = "VPC link ENIs"
  vpc_id      = aws_vpc.app.id

  tags = {
    Name           = "link"
    "vpclink:id"   = "link"
    "vpclink:kind" = "security_groups"
  }
}

resource "aws_vpc_security_group_egress_rule" "link_0" {
  security_group_id            = aws_security_group.link.id
  ip_protocol                  = "tcp"
  from_port                    = 80
  to_port                      = 80
  referenced_security_group_id = aws_security_group.nlb.id
  description                  = "to the NLB listener"

  tags = {
    "vpclink:id"     = "link"
    "vpclink:kind"   = "security_groups"
    "vpclink:egress" = "0"
  }
}

resource "aws_security_group" "nlb" {
  description = "Internal NLB behind the VPC link"
  vpc_id      = aws_vpc.app.id

  tags = {
    Name           = "nlb"
    "vpclink:id"   = "nlb"
    "vpclink:kind" = "security_groups"
  }
}

resource "aws_vpc_security_group_ingress_rule" "nlb_0" {
  security_group_id            = aws_security_group.nlb.id
  ip_protocol                  = "tcp"
  from_port                    = 80
  to_port                      = 80
  referenced_security_group_id = aws_security_group.link.id
  description                  = "listener, from the VPC link"

  tags = {
    "vpclink:id"      = "nlb"
    "vpclink:kind"    = "security_groups"
    "vpclink:ingress" = "0"
  }
}

resource "aws_vpc_security_group_egress_rule" "nlb_0" {
  security_group_id            = aws_security_group.nlb.id
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.app.id
  description                  = "traffic and health checks to the targets"

  tags = {
    "vpclink:id"     = "nlb"
    "vpclink:kind"   = "security_groups"
    "vpclink:egress" = "0"
  }
}

resource "aws_instance" "web_1" {
  ami                    = data.aws_ssm_parameter.al2023_ami.value
  instance_type          = "t3.small"
  subnet_id              = aws_subnet.private_a.id
  vpc_security_group_ids = [aws_security_group.app.id]

  tags = {
    Name             = "web-1"
    "vpclink:id"     = "web-1"
    "vpclink:kind"   = "instances"
    "vpclink:serves" = "[{\"port\":8080,\"protocol\":\"HTTP\",\"health_path\":\"/health\"}]"
  }
}

resource "aws_instance" "web_2" {
  ami                    = data.aws_ssm_parameter.al2023_ami.value
  instance_type          = "t3.small"
  subnet_id              = aws_subnet.private_b.id
  vpc_security_group_ids = [aws_security_group.app.id]

  tags = {
    Name             = "web-2"
    "vpclink:id"     = "web-2"
    "vpclink:kind"   = "instances"
    "vpclink:serves" = "[{\"port\":8080,\"protocol\":\"HTTP\",\"health_path\":\"/health\"}]"
  }
}

resource "aws_instance" "web_3" {
  ami                    = data.aws_ssm_parameter.al2023_ami.value
  instance_type          = "t3.small"
  subnet_id              = aws_subnet.private_a.id
  vpc_security_group_ids = [aws_security_group.app.id]

  tags = {
    Name             = "web-3"
    "vpclink:id"     = "web-3"
    "vpclink:kind"   = "instances"
    "vpclink:serves" = "[{\"port\":8080,\"protocol\":\"HTTP\",\"health_path\":\"/health\"}]"
  }
}

resource "aws_lb_target_group" "backend" {
  name               = "orders-backend"
  target_type        = "instance"
  protocol           = "TCP"
  port               = 8080
  vpc_id             = aws_vpc.app.id
  preserve_client_ip = "false"

  tags = {
    "vpclink:id"   = "backend"
    "vpclink:kind" = "target_groups"
  }

  health_check {
    protocol            = "HTTP"
    port                = "traffic-port"
    path                = "/health"
    interval            = 30
    timeout             = 6
    healthy_threshold   = 3
    unhealthy_threshold = 3
  }
}

resource "aws_lb" "nlb" {
  name                                                         = "orders-nlb"
  load_balancer_type                                           = "network"
  internal                                                     = true
  subnets                                                      = [aws_subnet.nlb_a.id, aws_subnet.nlb_b.id]
  security_groups                                              = [aws_security_group.nlb.id]
  enforce_security_group_inbound_rules_on_private_link_traffic = "off"
  enable_cross_zone_load_balancing                             = false

  tags = {
    "vpclink:id"   = "nlb"
    "vpclink:kind" = "load_balancers"
  }
}

resource "aws_lb_listener" "nlb_80" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 80
  protocol          = "TCP"

  tags = {
    "vpclink:id"       = "nlb"
    "vpclink:kind"     = "load_balancers"
    "vpclink:listener" = "80"
  }

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.backend.arn
  }
}

resource "aws_lb_target_group_attachment" "backend_web_1" {
  target_group_arn = aws_lb_target_group.backend.arn
  target_id        = aws_instance.web_1.id
}

resource "aws_lb_target_group_attachment" "backend_web_2" {
  target_group_arn = aws_lb_target_group.backend.arn
  target_id        = aws_instance.web_2.id
}

resource "aws_lb_target_group_attachment" "backend_web_3" {
  target_group_arn = aws_lb_target_group.backend.arn
  target_id        = aws_instance.web_3.id
}

resource "aws_apigatewayv2_vpc_link" "link" {
  name               = "orders-link"
  subnet_ids         = [aws_subnet.link_a.id, aws_subnet.link_b.id]
  security_group_ids = [aws_security_group.link.id]

  tags = {
    "vpclink:id"   = "link"
    "vpclink:kind" = "vpc_links"
  }
}

resource "aws_apigatewayv2_api" "orders" {
  name          = "orders"
  protocol_type = "HTTP"

  tags = {
    "vpclink:id"   = "orders"
    "vpclink:kind" = "http_apis"
    "vpclink:name" = "orders"
  }
}

resource "aws_apigatewayv2_integration" "orders_get_orders" {
  api_id                 = aws_apigatewayv2_api.orders.id
  integration_type       = "HTTP_PROXY"
  integration_method     = "GET"
  integration_uri        = aws_lb_listener.nlb_80.arn
  connection_type        = "VPC_LINK"
  connection_id          = aws_apigatewayv2_vpc_link.link.id
  payload_format_version = "1.0"
  timeout_milliseconds   = 29000
}

resource "aws_apigatewayv2_route" "orders_get_orders" {
  api_id    = aws_apigatewayv2_api.orders.id
  route_key = "GET /orders"
  target    = "integrations/${aws_apigatewayv2_integration.orders_get_orders.id}"
}

resource "aws_apigatewayv2_stage" "orders_default" {
  api_id      = aws_apigatewayv2_api.orders.id
  name        = "$default"
  auto_deploy = true

  tags = {
    "vpclink:id"      = "orders"
    "vpclink:kind"    = "http_apis"
    "vpclink:stage"   = "$default"
    "vpclink:logging" = "INFO"
  }

  default_route_settings {
    detailed_metrics_enabled = true
  }
}

resource "aws_cloudwatch_metric_alarm" "unhealthy" {
  alarm_name          = "orders-unhealthy-targets"
  namespace           = "AWS/NetworkELB"
  metric_name         = "UnHealthyHostCount"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 2
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  dimensions = {
    TargetGroup  = aws_lb_target_group.backend.arn_suffix
    LoadBalancer = aws_lb.nlb.arn_suffix
  }

  tags = {
    "vpclink:id"   = "unhealthy"
    "vpclink:kind" = "alarms"
  }
}
