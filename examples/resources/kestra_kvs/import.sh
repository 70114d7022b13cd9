# Adopt a whole namespace (every key, with `exclusive = true`) ...
terraform import kestra_kvs.replicas company.tenants
terraform import kestra_kvs.replicas main/company.tenants

# ... or only the keys under a prefix.
terraform import kestra_kvs.flags "company.team/flag_*"
terraform import kestra_kvs.flags "main/company.team/flag_*"
