terraform {
  required_version = ">= 1.14"
  required_providers {
    kestra = {
      source = "kestra-io/kestra"
    }
  }
}
