# Needs: a Kestra at http://localhost:8080 and its password in TF_VAR_kestra_password.
terraform {
  required_providers {
    kestra = {
      source = "kestra-io/kestra"
    }
  }
}

# Every setting can also come from the environment (KESTRA_URL, KESTRA_USERNAME, ...).
provider "kestra" {
  url      = "http://localhost:8080"
  username = "admin@kestra.io"
  password = var.kestra_password
  # tenant_id   = "main" # the default
  # timeout     = 30     # seconds per request
  # max_retries = 4      # idempotent requests, on 429/502/503/504 and connection errors
}

variable "kestra_password" {
  type      = string
  sensitive = true
}
