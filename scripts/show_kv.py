"""Prints the keys of one namespace as the Kestra KV API reports them (used by quickstart.sh)."""
import json
import sys
import urllib.parse
import urllib.request

base, namespace = sys.argv[1], sys.argv[2]
query = urllib.parse.urlencode({"filters[namespace][EQUALS]": namespace, "size": 100, "sort": "key:asc"})
listing = json.loads(urllib.request.urlopen(f"{base}/api/v1/main/kv?{query}").read())
for entry in listing["results"]:
    key = entry["key"]
    url = f"{base}/api/v1/main/namespaces/{namespace}/kv/{urllib.parse.quote(key)}"
    value = json.loads(urllib.request.urlopen(url).read())
    shown = json.dumps(value.get("value"))
    print(f"  {key:<11} {value['type']:<9} {shown}  (revision {value.get('revision')})")
