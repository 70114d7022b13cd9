# Against a real Kestra (the provider is configured from KESTRA_URL and friends).

run "type_is_inferred_at_plan_time" {
  command = plan

  assert {
    condition     = kestra_kv.replicas.type == "NUMBER"
    error_message = "A whole number without a type is stored as a NUMBER."
  }
}

run "apply_writes_the_keys" {
  command = apply

  assert {
    condition     = output.settings_id == "company.team/settings"
    error_message = "The id is <namespace>/<key>."
  }

  assert {
    condition     = jsondecode(kestra_kv.settings.value).region == "eu-west-1"
    error_message = "The JSON value is stored as written."
  }
}
