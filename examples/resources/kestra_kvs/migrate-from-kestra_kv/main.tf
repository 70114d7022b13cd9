# Needs first: a state holding `kestra_kv.flag` (count = 3, keys flag_0..flag_2 of company.team).
# Terraform forgets the kestra_kv resources without deleting their keys, and the kestra_kvs
# adopts them: the plan shows "1 to add, 0 to destroy", and the apply writes nothing when the
# values already match.
removed {
  from = kestra_kv.flag

  lifecycle {
    destroy = false
  }
}

resource "kestra_kvs" "flags" {
  namespace = "company.team"

  values = {
    for i in range(3) : "flag_${i}" => "on"
  }
}
