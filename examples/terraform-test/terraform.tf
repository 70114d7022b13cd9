terraform {
  required_version = ">= 1.7"
  required_providers {
    kestra = {
      source = "kestra-io/kestra"
    }
  }
}
