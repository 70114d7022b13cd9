# Import by "<namespace>/<key>" (the provider's tenant) ...
terraform import kestra_kv.greeting company.team/greeting

# ... or by "<tenant>/<namespace>/<key>".
terraform import kestra_kv.greeting main/company.team/greeting
