terraform {
  required_providers {
    kestra = {
      source = "kestra-io/kestra"
    }
  }
}
