# A string; `type` is inferred ("STRING") when omitted.
resource "kestra_kv" "greeting" {
  namespace   = "company.team"
  key         = "greeting"
  value       = "Hello, world"
  description = "Shown on the team dashboard"
}

# Typed values: numbers, booleans, dates, durations and JSON.
resource "kestra_kv" "max_retries" {
  namespace = "company.team"
  key       = "max_retries"
  value     = "5"
  type      = "NUMBER"
}

resource "kestra_kv" "settings" {
  namespace = "company.team"
  key       = "settings"
  value     = jsonencode({ region = "eu-west-1", replicas = 3 })
  type      = "JSON"
}

# A value that expires: Kestra deletes it after the ttl; the next apply writes it again.
resource "kestra_kv" "session" {
  namespace = "company.team"
  key       = "session_window"
  value     = "PT30M"
  type      = "DURATION"
  ttl       = "P1D"
}
