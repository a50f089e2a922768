"""The few calls the benchmark scripts make to the JSON API (one keep-alive connection)."""
import http.client, json, sys


class Api:
    def __init__(self, host, port, password):
        self.conn = http.client.HTTPConnection(host, port)
        self.password = password

    def call(self, method, path, body=None, token=None):
        headers = {"content-type": "application/json"}
        if token:
            headers["authorization"] = "Bearer " + token
        self.conn.request(method, path, json.dumps(body) if body is not None else None, headers)
        r = self.conn.getresponse()
        data = r.read()
        if r.status != 200:
            sys.exit(f"{method} {path}: {r.status} {data[:300]!r}")
        return json.loads(data) if data else None

    def token(self, user):
        return self.call("POST", "/api/v1/session", {"username": user, "password": self.password})["token"]
