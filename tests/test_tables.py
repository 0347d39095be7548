"""The Parquet dataset of four tables: what `extract --format parquet` writes and `load` reads."""
from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from onrecord import tables
from onrecord.cli import cli
from onrecord.errors import InputError, OutputError
from onrecord.store.clusters import Banded

from .conftest import EXAMPLE


def test_records_read_back_exactly_and_every_table_joins_on_the_document(example_record, tmp_path):
    second = example_record.evolve(doc_id="again", text=example_record.text + "\n")
    with tables.write_tables(str(tmp_path / "out")) as writer:
        writer.write(example_record)
        writer.write(second)
        writer.close()
    read = [r.to_dict() for r in tables.read_records(str(tmp_path / "out"))]
    assert read == [example_record.to_dict(), second.to_dict()]
    quotes = pq.read_table(tmp_path / "out" / "quotes").to_pylist()
    assert len(quotes) == 2 * len(example_record.quotes)
    assert [q["text"] for q in quotes[: len(example_record.quotes)]] == [q.text for q in example_record.quotes]
    documents = pq.read_table(tmp_path / "out" / "documents").to_pylist()
    assert [d["order"] for d in documents] == [0, 1] and documents[0]["doc_hash"] != documents[1]["doc_hash"]
    turns = pq.read_table(tmp_path / "out" / "turns").to_pylist()
    assert {t["doc_hash"] for t in turns} <= {d["doc_hash"] for d in documents} and turns
    bands = Banded.of(example_record).bands
    assert [q["bands"] for q in quotes[: len(example_record.quotes)]] == [bands[q.id] for q in example_record.quotes]
    assert next(tables.read_banded(str(tmp_path / "out"))).bands == bands


def test_a_directory_that_is_no_dataset_is_refused_and_left_alone(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputError, match="not an onrecord Parquet dataset"), tables.write_tables(str(tmp_path / "notes")):
        pass
    assert (tmp_path / "notes" / "mine.txt").read_text(encoding="utf-8") == "keep me"
    with pytest.raises(InputError, match="not an onrecord Parquet dataset"):
        next(tables.read_records(str(tmp_path / "notes")))


def test_parquet_needs_an_output_directory():
    result = CliRunner().invoke(cli, ["extract", str(EXAMPLE), "--format", "parquet"])
    assert result.exit_code == 2 and "give -o DIR" in result.output


def test_load_of_what_is_no_dataset_is_one_error_and_creates_no_database(tmp_path):
    result = CliRunner().invoke(cli, ["load", str(tmp_path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1 and "not an onrecord Parquet dataset" in result.output
    assert not (tmp_path / "x.db").exists()


def test_a_damaged_record_names_its_part_file_and_document(example_record, tmp_path):
    with tables.write_tables(str(tmp_path / "out")) as writer:
        writer.write(example_record)
        writer.close()
    part = tmp_path / "out" / "documents" / "part-00000.parquet"
    table = pq.read_table(part)
    pq.write_table(table.set_column(table.schema.get_field_index("record"), "record",
                                    pa.array(['{"text": "no doc_id"}'])), part)
    with pytest.raises(InputError, match=r"part-00000.parquet \(document 0\): not an onrecord record"):
        list(tables.read_records(str(tmp_path / "out")))


def test_an_object_store_prefix_that_holds_files_is_refused(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "part-00007.parquet").write_bytes(b"old")
    with pytest.raises(OutputError, match="holds files already"), tables.write_tables((tmp_path / "old").as_uri()):
        pass
    with tables.write_tables((tmp_path / "new").as_uri()) as writer:
        writer.close()
    assert tables.is_dataset((tmp_path / "new").as_uri())


def test_speaker_identities_are_carried_in_the_speakers_table_and_handed_to_the_writer(example_record, tmp_path):
    from dataclasses import replace

    from onrecord.record import content_hash
    from onrecord.store import Corpus
    from onrecord.store.speakers import identify_document

    expected = tuple(identify_document(example_record.speakers, content_hash(example_record.text)))
    with tables.write_tables(str(tmp_path / "out")) as writer:
        writer.write(example_record)
        writer.close()
    assert next(tables.read_banded(str(tmp_path / "out"))).identities == expected
    # the writer places the speakers by the identities it is handed, not by computing them again
    first = next(i for i in expected if i.key.startswith(("person:", "organization:")))
    handed = tuple(replace(i, key="organization:handed", kind="organization", surname=None, person=None,
                           lone_surname=None) if i == first else i for i in expected)
    with Corpus(tmp_path / "c.db") as corpus:
        assert corpus.add_all([Banded(example_record, None, handed)]).added == 1
        keys = {r[0] for r in corpus.db.execute("SELECT key FROM entities")}
    assert "organization:handed" in keys and first.key not in keys
