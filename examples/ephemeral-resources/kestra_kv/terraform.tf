terraform {
  required_version = ">= 1.11"
  required_providers {
    kestra = {
      source = "kestra-io/kestra"
    }
  }
}
