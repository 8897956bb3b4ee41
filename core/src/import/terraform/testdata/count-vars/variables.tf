variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "name" {
  type    = string
  default = "orders"
}

variable "vpc_cidr" {
  type    = string
  default = "10.20.0.0/16"
}

variable "azs" {
  type    = list(string)
  default = ["eu-west-1a", "eu-west-1b"]
}

variable "app_port" {
  type    = number
  default = 8080
}

variable "instance_count" {
  type    = number
  default = 2
}

variable "ami_id" {
  type    = string
  default = "ami-0123456789abcdef0"
}

variable "backend_host" {
  type    = string
  default = "orders.internal:80"
}
