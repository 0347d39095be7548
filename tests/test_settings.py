"""Settings files: the shipped defaults, a user's file laid over them ($ONRECORD_CONFIG or
--config), and the errors a user gets for a file that is missing or a value that cannot work."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from onrecord.cli import cli
from onrecord.errors import ConfigError
from onrecord.settings import Options, load_options, options_from_args


@pytest.fixture(autouse=True)
def no_user_config(monkeypatch):
    monkeypatch.delenv("ONRECORD_CONFIG", raising=False)


def _cfg(tmp_path, body: str, name: str = "my.cfg"):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_the_shipped_defaults_are_the_options_defaults():
    assert load_options() == Options()


def test_onrecord_config_is_laid_over_the_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("ONRECORD_CONFIG", str(_cfg(tmp_path, "[onrecord]\nbatch_size = 3\nverify = no\n")))
    options = load_options()
    assert (options.batch_size, options.verify) == (3, False)
    assert options.model == Options().model and options.attribution == "speech"  # the rest stays shipped


def test_a_config_file_is_laid_over_the_defaults_and_arguments_over_it(tmp_path):
    path = _cfg(tmp_path, "[onrecord]\nattribution = broad\ncues_path =\nmax_chunk_chars = 5000\n")
    options = load_options(path)
    assert (options.attribution, options.max_chunk_chars, options.cues_path) == ("broad", 5000, None)
    assert options.db == "onrecord.db"
    assert options_from_args(str(path), attribution="speech", model=None).attribution == "speech"


def test_config_argument_wins_over_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ONRECORD_CONFIG", str(_cfg(tmp_path, "[onrecord]\nbatch_size = 3\n", "env.cfg")))
    assert load_options(_cfg(tmp_path, "[onrecord]\nbatch_size = 5\n")).batch_size == 5


@pytest.mark.parametrize(("line", "key"), [
    ("batch_size = many", "batch_size"),
    ("verify = perhaps", "verify"),
    ("max_chunk_chars = 0", "max_chunk_chars"),
    ("attribution = wide", "attribution"),
    ("encoding = no-such-codec", "encoding"),
    ("atribution = broad", "atribution"),  # a misspelt key is not silently ignored
])
def test_a_bad_value_names_the_file_and_the_key(tmp_path, line, key):
    path = _cfg(tmp_path, f"[onrecord]\n{line}\n")
    with pytest.raises(ConfigError) as caught:
        load_options(path)
    assert str(path) in str(caught.value) and key in str(caught.value)


def test_a_bad_value_from_the_environment_names_that_file(tmp_path, monkeypatch):
    path = _cfg(tmp_path, "[onrecord]\nbatch_size = -2\n", "env.cfg")
    monkeypatch.setenv("ONRECORD_CONFIG", str(path))
    with pytest.raises(ConfigError, match=r"env\.cfg.*batch_size"):
        load_options()


@pytest.mark.parametrize("via_env", [False, True])
def test_a_missing_file_is_named(tmp_path, monkeypatch, via_env):
    path = tmp_path / "nowhere.cfg"
    if via_env:
        monkeypatch.setenv("ONRECORD_CONFIG", str(path))
    with pytest.raises(ConfigError, match=r"nowhere\.cfg: config file not found"):
        load_options(None if via_env else path)


@pytest.mark.parametrize(("body", "problem"), [
    ("batch_size = 3\n", "not a valid config file"),  # no section header at all
    ("[Onrecord]\nbatch_size = 3\n", r"no \[onrecord\] section"),  # settings that would be ignored
    (b"[onrecord]\nmodel = \xff\n", "cannot read"),
])
def test_a_malformed_file_is_named(tmp_path, body, problem):
    path = tmp_path / "bad.cfg"
    path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
    with pytest.raises(ConfigError, match=f"bad.cfg: .*{problem}|bad.cfg: {problem}"):
        load_options(path)


def test_options_made_in_code_are_checked_too():
    with pytest.raises(ConfigError, match="attribution"):
        Options(attribution="wide")
    with pytest.raises(ConfigError, match="batch_size"):
        Options().with_(batch_size=0)


def test_the_cli_says_which_config_file_is_wrong(tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("“We will rebuild,” said Mayor Lena Ortiz.\n", encoding="utf-8")
    missing = CliRunner().invoke(cli, ["extract", "--config", str(tmp_path / "nowhere.cfg"), str(text)])
    assert missing.exit_code != 0 and "nowhere.cfg: config file not found" in missing.stderr
    bad = _cfg(tmp_path, "[onrecord]\nbatch_size = lots\n")
    result = CliRunner().invoke(cli, ["extract", "--config", str(bad), str(text)])
    assert result.exit_code != 0 and "my.cfg" in result.stderr and "batch_size" in result.stderr
    assert result.stdout == ""


def test_a_relative_lexicon_in_a_config_file_is_read_from_beside_that_file(tmp_path, monkeypatch):
    """A newsroom keeps its config and its lexicon together and runs onrecord from anywhere."""
    from onrecord.cues import _shipped_data

    lexicon = dict(_shipped_data())
    lexicon["speech"] = [*lexicon["speech"], "chirp"]  # a cue verb the shipped lexicon lacks
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "newsroom-cues.json").write_text(json.dumps(lexicon), encoding="utf-8")
    config = _cfg(conf, "[onrecord]\ncues_path = newsroom-cues.json\n", "newsroom.cfg")
    article = tmp_path / "a.txt"
    article.write_text("Mayor Lena Ortiz chirped that the harbour would reopen to ferries next spring.\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    plain = CliRunner().invoke(cli, ["extract", str(article)])
    widened = CliRunner().invoke(cli, ["extract", "--config", str(config), str(article)])
    assert plain.exit_code == 0 and json.loads(plain.stdout)["quotes"] == []
    assert widened.exit_code == 0, widened.stderr
    quotes = json.loads(widened.stdout)["quotes"]
    assert [q["text"] for q in quotes] == ["the harbour would reopen to ferries next spring"]
