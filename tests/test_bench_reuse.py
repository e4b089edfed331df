"""`python -m bench --reuse` reads back the handles kept when the database was generated."""

from __future__ import annotations

from bench import reuse
from bench.generate import Scale, generate


def test_the_handles_kept_at_generation_read_back_the_same(app, tmp_path):
    with app.app_context():
        generated = generate(
            Scale(organisations=1, constellations=2, households=8, children=6, social_workers=2)
        )
    url = "postgresql+psycopg://postgres@127.0.0.1/some_bench"
    path = reuse.write_handles(url, generated, tmp_path)
    assert path.name == "generated-some_bench.json"
    assert reuse.template_name(url) == "some_bench_generated"
    again = reuse.load(url, tmp_path)
    assert again == generated  # tuples come back as tuples
    assert again.families and isinstance(again.families[0], tuple)
