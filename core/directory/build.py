"""Building build/directory.db from the checked CSV sources, in ordered, idempotent steps (Rasa-free).

`tools/directory.py build` (make directory) runs it; the action server only reads the result
(core/directory/search.py). Besides HSDS's own tables the build writes four small tables that search ranks
with in SQL, each with its index, and a full-text index of the services, so that a search reads only the rows
it returns, however large the directory (bench/directory.py measures it at 20,000 services):

- service_need: which need (a taxonomy code) a shown service meets, and how centrally;
- service_reach: which county (or town, or part of a county, or the whole state) a shown service covers;
- service_rank: what ranks a shown service whatever the question (audience, a phone, how local it is);
- service_match: the three joined, one row per need and place a service answers, indexed by both: a search
  for a need in a county reads only the rows of that need in that county and the state.
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from core.directory.schema import ANYWHERE, AUDIENCES, NEED_ROLES, SHOWN, STATEWIDE, TABLES, Source
from core.directory.validate import Sources, check_sources, read_sources
from core.paths import DIRECTORY_DIR, PLACES_DIR
from core.places import COUNTIES

DERIVED = ("service_need", "service_reach", "service_rank", "service_match")
FTS_COLUMNS = ("name", "alternate_name", "description", "eligibility_description")
INDEXES: dict[str, list[tuple[str, ...]]] = {
    "attribute": [("link_id",)],
    "phone": [("service_id",)],
    "schedule": [("service_id",)],
    "language": [("service_id", "code")],
    "service_area": [("service_id",)],
    "service_at_location": [("service_id",), ("location_id",)],
    "address": [("location_id",)],
    "service": [("organization_id",)],
    "metadata": [("resource_id",)],
}


def build(
    db: sqlite_utils.Database, directory_dir: Path = DIRECTORY_DIR, places_dir: Path = PLACES_DIR
) -> dict[str, int]:
    """Check every CSV source, then (re)build every table in one transaction: a failed build changes nothing,
    and building twice gives the same database. Returns the row count of each HSDS table."""
    sources = read_sources(directory_dir, places_dir)
    check_sources(sources)
    with db.atomic():
        for step in BUILD_STEPS:
            step(db, sources)
    return {source.table: db.table(source.table).count for source in TABLES}


def create_tables(db: sqlite_utils.Database, sources: Sources) -> None:
    # The build owns the whole file: a table an older build made and the schema no longer has goes too.
    for table in db.table_names():
        if table.startswith("service_fts"):
            continue  # dropped with its table below
        if table not in {source.table for source in TABLES} | set(DERIVED):
            db.table(table).drop(ignore=True)
    for table in DERIVED:
        db.table(table).drop(ignore=True)
    db.execute("drop table if exists service_fts")
    for source in reversed(TABLES):
        db.table(source.table).drop(ignore=True)
    for source in TABLES:
        columns = {column: int if column in source.integers else str for column in source.columns}
        foreign_keys = [(column, table, "id") for column, table in source.references.items()]
        db.table(source.table).create(columns, pk=source.pk, foreign_keys=foreign_keys)


def load_rows(db: sqlite_utils.Database, sources: Sources) -> None:
    # One prepared insert per table: sqlite-utils' insert_all checks every row's columns, which at 200,000
    # rows costs more than the whole rest of the build; the columns are the schema's, checked already.
    for source in TABLES:
        columns = ", ".join(f"[{column}]" for column in source.columns)
        marks = ", ".join("?" for _ in source.columns)
        db.conn.executemany(
            f"insert into [{source.table}] ({columns}) values ({marks})",
            (
                tuple(_value(source, column, row.values[column]) for column in source.columns)
                for row in sources[source.table]
            ),
        )


def index_tables(db: sqlite_utils.Database, sources: Sources) -> None:
    for table, indexes in INDEXES.items():
        for columns in indexes:
            db.table(table).create_index(columns, if_not_exists=True)
    db.table("service").enable_fts(FTS_COLUMNS, fts_version="FTS5", create_triggers=False, replace=True)


def rank_services(db: sqlite_utils.Database, sources: Sources) -> None:
    """The three ranking tables, over shown rows only: what is unconfirmed is never ranked, so never found."""
    roles = " ".join(f"when '{role}' then {rank}" for rank, role in enumerate(NEED_ROLES))
    audiences = " ".join(f"when '{audience}' then {rank}" for rank, audience in enumerate(AUDIENCES))
    shown = f"""
        select service.* from service join organization on organization.id = service.organization_id
        where service.fact_status = '{SHOWN}' and organization.fact_status = '{SHOWN}'"""
    offices = f"""
        select sal.service_id, location.county from service_at_location sal
        join location on location.id = sal.location_id
        where sal.fact_status = '{SHOWN}' and location.fact_status = '{SHOWN}'
          and location.location_type = 'physical'"""
    db.executescript(f"""
        create table service_need as
          select attribute.link_id as service_id, taxonomy_term.code as need,
                 min(case attribute.value {roles} else {len(NEED_ROLES)} end) as role_rank
          from attribute join taxonomy_term on taxonomy_term.id = attribute.taxonomy_term_id
          where attribute.fact_status = '{SHOWN}' and attribute.link_id in (select id from ({shown}))
          group by attribute.link_id, taxonomy_term.code;
        create index service_need_need on service_need (need, service_id);

        create table service_reach as
          select service_id, county, nullif(municipality, '') as municipality,
                 case when county = '{STATEWIDE}' then 2 when coalesce(part, '') != '' then 1 else 0 end as rank
          from service_area where fact_status = '{SHOWN}' and service_id in (select id from ({shown}))
          union
          select service_id, county, null, 0 from ({offices}) where service_id in (select id from ({shown}));
        create index service_reach_county on service_reach (county, service_id);

        create index service_reach_service on service_reach (service_id);

        create table service_rank as
          with reach as (
                 select service_id, max(county = '{STATEWIDE}') as statewide, count(distinct county) as counties
                 from service_reach group by service_id),
               phones as (select service_id from phone where fact_status = '{SHOWN}'),
               languages as (
                 select service_id, ',' || group_concat(code, ',') || ',' as codes
                 from language where fact_status = '{SHOWN}' group by service_id)
          select shown.id as service_id, shown.name,
                 case shown.audience {audiences} else {len(AUDIENCES)} end as audience_rank,
                 shown.id in phones as has_phone,
                 (coalesce(shown.url, '') != '' or coalesce(organization.website, '') != '') as has_website,
                 coalesce(shown.interpretation_services, '') != '' as has_interpreter,
                 languages.codes is not null as lists_languages,
                 coalesce(languages.codes, '') as codes,
                 case when reach.service_id is null or reach.statewide then {len(COUNTIES)} else reach.counties end
                   as breadth
          from ({shown}) as shown
          join organization on organization.id = shown.organization_id
          left join reach on reach.service_id = shown.id
          left join languages on languages.service_id = shown.id;
        create unique index service_rank_id on service_rank (service_id);
        create index service_need_service on service_need (service_id);

        create table service_match as
          select n.need, r.county, r.municipality, r.rank as reach_rank, n.service_id, n.role_rank,
                 k.audience_rank, k.has_phone, k.has_website, k.has_interpreter, k.lists_languages, k.codes,
                 k.breadth, k.name
          from service_need n
          join service_reach r on r.service_id = n.service_id
          join service_rank k on k.service_id = n.service_id
          union all  -- one row per service and need for a search with no place: county '{ANYWHERE}'
          select n.need, '{ANYWHERE}', null, 0, n.service_id, n.role_rank,
                 k.audience_rank, k.has_phone, k.has_website, k.has_interpreter, k.lists_languages, k.codes,
                 k.breadth, k.name
          from service_need n
          join service_rank k on k.service_id = n.service_id;
        create index service_match_need on service_match (need, county, municipality);
    """)


def _value(source: Source, column: str, value: str) -> str | int | None:
    if value == "":
        return None
    return int(value) if column in source.integers else value


BUILD_STEPS = (create_tables, load_rows, index_tables, rank_services)
