terraform {
  required_version = ">= 1.12"
  required_providers {
    kestra = {
      source = "kestra-io/kestra"
    }
  }
}
