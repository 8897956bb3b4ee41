variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "prefix" {
  type    = string
  default = "items"
}

variable "vpc_cidr" {
  type    = string
  default = "10.20.0.0/16"
}

variable "instances_per_zone" {
  type    = number
  default = 1
}
