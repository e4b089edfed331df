"""A bare Flask route served the same way as Hubhome: the floor every scenario is compared to."""

from flask import Flask

app = Flask(__name__)


@app.route("/ping")
def ping() -> str:
    return "pong"
