"""Start the test OpenID provider (tests/oidc) with the demo's people, then the demo with
HUBHOME_OIDC_* pointing at it. Run through bin/oidc-demo."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.oidc_helpers import SECRETS, OidcProvider, start_provider  # noqa: E402

PEOPLE = {
    "admin": {"email": "admin@demo.hubhome.test", "name": "Alva Admin (Entra ID)"},
    "socialsekreterare": {
        "email": "socialsekreterare@demo.hubhome.test",
        "name": "Sara Socialsekreterare (Entra ID)",
    },
    "jour": {"email": "jour@demo.hubhome.test", "name": "Jonas Jour (SITHS)"},
    "familj1": {"personal_identity_number": "191212121212", "name": "Fatima Andersson (BankID)"},
    "okand": {"personal_identity_number": "198112189876", "name": "Okänd person (BankID)"},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=5000, help="the demo's port on 127.0.0.1")
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    with tempfile.TemporaryDirectory() as tmp:
        process, issuer = start_provider(Path(tmp), redirect_base=base)
        try:
            provider = OidcProvider(issuer)
            provider.add_accounts(PEOPLE)
            env = dict(os.environ)
            for key, value in provider.settings().items():
                env[f"HUBHOME_{key.upper()}"] = value
            env.setdefault("HUBHOME_OIDC_FAMILY_LABEL", "BankID (test)")
            env.setdefault("HUBHOME_OIDC_STAFF_LABEL", "kommunens inloggning (test)")
            print(f"OpenID provider at {issuer} (clients: {', '.join(SECRETS)})", flush=True)
            print(f"Open {base}/login and choose a sign-in button.", flush=True)
            demo = [str(ROOT / ".venv" / "bin" / "hubhome"), "demo", "--port", str(args.port)]
            return subprocess.call(demo, env=env)  # noqa: S603  (our own command)
        except KeyboardInterrupt:
            return 0
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
