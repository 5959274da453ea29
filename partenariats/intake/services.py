"""The import of a convention: queue a file, read it in the background, recover jobs whose worker
died, cancel, and save the reviewed reading as a convention with everything it holds.

Each state change of a job is a conditional ``UPDATE`` (``filter(status=…)``): a worker, the
recovery and the person cancelling may act on one job at the same time, and only one wins.
"""

import json
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from partenariats.activities.models import Action
from partenariats.activities.services import ActionInput, create_plan, save_action
from partenariats.conventions.documents import add_document
from partenariats.conventions.models import (
    Article,
    Audience,
    Commitment,
    Convention,
    DatePrecision,
    Document,
    DocumentKind,
    Party,
    Programme,
    Signatory,
)
from partenariats.conventions.services import (
    ActionRefused,
    PartyInput,
    SignatoryInput,
    refresh_terms,
    save_convention_with_parties,
)
from partenariats.core.school_year import SchoolYear
from partenariats.core.text import fold
from partenariats.directory.models import LegalBasis, Membership, Organisation, Person, PersonRole
from partenariats.intake.models import CANCELLABLE, ImportJob, ImportStatus
from partenariats.reader import Limits, ReaderError, read_bytes
from partenariats.reader.sources import precheck
from partenariats.territories.models import Academy

logger = logging.getLogger(__name__)

MAX_BYTES = Limits().max_bytes
MAX_PAGES = Limits().max_pages
# A running job whose worker gave no sign of life for this long is taken for dead. The reader
# reports progress at least once a page and OCR stops after 5 minutes, so a live worker never
# stays silent this long.
STALLED_AFTER = timedelta(minutes=6)
# A reading nobody saved nor cancelled is forgotten (file and result) after this long.
FORGOTTEN_AFTER = timedelta(days=30)
# A queued job nobody picked up for this long was lost on its way to the queue.
LOST_AFTER = timedelta(hours=1)
# The progress bar is written at most once a second, whatever the reader reports.
PROGRESS_INTERVAL = 1.0

GENERIC_FAILURE = (
    "Une erreur inattendue a interrompu la lecture du fichier. Réessayez plus tard ; "
    "si le problème persiste, signalez-le à l’équipe technique."
)
INTERRUPTED = (
    "Le traitement a été interrompu à plusieurs reprises (le serveur a dû s’arrêter pendant la lecture). "
    "Déposez de nouveau le fichier ; si le problème persiste, signalez-le à l’équipe technique."
)
FILE_GONE = "Le fichier déposé n’est plus disponible : déposez-le de nouveau."
DATA_SOURCE = "Convention importée"


class UploadRefused(Exception):
    """The file cannot be queued (empty, too large, of a type the reader cannot read); French message."""


# --- Checking a file before queuing it ---------------------------------------------------------


def check_upload(content: bytes, filename: str | None = None) -> str:
    """The kind of an acceptable file ("pdf", "docx", "text", "image"), read from its bytes by the
    reader's own cheap checks (type, size, a PDF's structure, a DOCX's archive, an image's
    dimensions); ``UploadRefused`` with a French message otherwise. The worker's reading is the
    full check (pages, encryption, damage)."""
    try:
        return precheck(content, filename, limits=Limits())
    except ReaderError as error:
        raise UploadRefused(str(error)) from error


# --- Queuing, duplicates -----------------------------------------------------------------------


@dataclass
class Duplicates:
    """Where the same file already is: documents of conventions the user sees, the user's earlier jobs."""

    documents: list[Document]
    jobs: list[ImportJob]

    def __bool__(self) -> bool:
        return bool(self.documents or self.jobs)


def find_duplicates(user, digest: str) -> Duplicates:
    visible = Convention.objects.for_user(user)
    documents = list(
        Document.objects.filter(sha256=digest, convention__in=visible).select_related("convention").order_by("pk")[:5]
    )
    jobs = list(
        ImportJob.objects.for_user(user)
        .filter(sha256=digest)
        .exclude(status=ImportStatus.CANCELLED)
        .select_related("convention")[:5]
    )
    return Duplicates(documents, jobs)


def create_job(*, user, academy: Academy | None, content: bytes, original_name: str) -> ImportJob:
    """Store the file and queue its reading; the job is then read by the worker (inline in tests)."""
    job = ImportJob(
        academy=academy,
        created_by=user,
        original_name=(original_name or "document")[:255],
        size=len(content),
        sha256=Document.digest(content),
        enqueued_at=timezone.now(),
    )
    job.file.save("upload", ContentFile(content), save=False)
    try:
        job.save()
    except Exception:
        default_storage.delete(job.file.name)
        raise
    enqueue(job.pk)
    return job


def enqueue(job_id: int) -> None:
    """Hand the job to the task queue; a failure leaves it queued for ``recover_stalled_jobs``."""
    from partenariats.intake.tasks import read_convention

    try:
        read_convention.enqueue(job_id=job_id)
    except Exception:
        logger.exception("Import job %s could not be enqueued; the recovery will retry.", job_id)


# --- The worker's side ---------------------------------------------------------------------------


class ProgressWriter:
    """The reader's progress callback: the job's bar, label and heartbeat, one UPDATE a second at most."""

    def __init__(self, job_id: int, clock=time.monotonic):
        self.job_id = job_id
        self.clock = clock
        self.last: float | None = None

    def __call__(self, fraction: float, label: str) -> None:
        now = self.clock()
        if self.last is not None and now - self.last < PROGRESS_INTERVAL:
            return
        self.last = now
        # 100 % is written when the result is stored, not before.
        percent = max(0, min(99, int(fraction * 100)))
        ImportJob.objects.filter(pk=self.job_id, status=ImportStatus.RUNNING).update(
            progress=percent, progress_label=(label or "")[:200], heartbeat_at=timezone.now()
        )


def _delete_file(job_id: int) -> None:
    name = ImportJob.objects.filter(pk=job_id).values_list("file", flat=True).first()
    if name:
        default_storage.delete(name)
        ImportJob.objects.filter(pk=job_id).update(file="")


def _fail(job_id: int, message: str, *, from_status: str = ImportStatus.RUNNING) -> bool:
    failed = ImportJob.objects.filter(pk=job_id, status=from_status).update(
        status=ImportStatus.FAILED, error=message, finished_at=timezone.now()
    )
    if failed:
        _delete_file(job_id)
    return bool(failed)


def run_job(job_id: int) -> None:
    """Read a queued job's file and store the reading; never raises (the worker must survive)."""
    now = timezone.now()
    started = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        progress=0,
        progress_label="Ouverture du fichier",
        error="",
    )
    if not started:
        return  # cancelled meanwhile, or already taken by another worker
    try:
        job = ImportJob.objects.get(pk=job_id)
        try:
            with job.file.open("rb") as stored:
                data = stored.read()
        except (FileNotFoundError, ValueError) as error:
            # ValueError: a FileField without a file. Only the file's opening: a ValueError of the
            # reader is a defect, reported below with its traceback.
            logger.warning("Import job %s: stored file missing (%s).", job_id, error)
            _fail(job_id, FILE_GONE)
            return
        reading = read_bytes(data, job.original_name, limits=Limits(), progress=ProgressWriter(job_id))
        # A JSON round trip: what the review reads back is exactly what is stored.
        result = json.loads(json.dumps(reading.as_contract(), ensure_ascii=False))
    except ReaderError as error:
        _fail(job_id, str(error))
    except Exception:
        logger.exception("Import job %s: the reading failed.", job_id)
        _fail(job_id, GENERIC_FAILURE)
    else:
        ImportJob.objects.filter(pk=job_id, status=ImportStatus.RUNNING).update(
            status=ImportStatus.READY,
            result=result,
            progress=100,
            progress_label="Lecture terminée",
            heartbeat_at=timezone.now(),
            finished_at=timezone.now(),
        )


def recover_stalled_jobs(now=None) -> list[int]:
    """Re-queue running jobs whose worker died (no heartbeat for 6 minutes) while attempts remain,
    else fail them; re-enqueue jobs queued for over an hour (lost on the way). Returns the ids
    handed back to the queue."""
    now = now or timezone.now()
    requeued: list[int] = []
    stalled = ImportJob.objects.filter(status=ImportStatus.RUNNING).filter(
        Q(heartbeat_at__lt=now - STALLED_AFTER) | Q(heartbeat_at__isnull=True, started_at__lt=now - STALLED_AFTER)
    )
    for job in stalled.only("pk", "heartbeat_at", "attempts", "max_attempts"):
        same = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING, heartbeat_at=job.heartbeat_at)
        if job.attempts < job.max_attempts:
            if same.update(
                status=ImportStatus.QUEUED, progress=0, progress_label="Nouvelle tentative", enqueued_at=now
            ):
                requeued.append(job.pk)
        elif same.update(status=ImportStatus.FAILED, error=INTERRUPTED, finished_at=now):
            _delete_file(job.pk)
    lost = ImportJob.objects.filter(status=ImportStatus.QUEUED).filter(
        Q(enqueued_at__lt=now - LOST_AFTER) | Q(enqueued_at__isnull=True, created_at__lt=now - LOST_AFTER)
    )
    for job in lost.only("pk", "enqueued_at"):
        if ImportJob.objects.filter(pk=job.pk, status=ImportStatus.QUEUED, enqueued_at=job.enqueued_at).update(
            enqueued_at=now
        ):
            requeued.append(job.pk)
    for job_id in requeued:
        enqueue(job_id)
    return requeued


def forget_abandoned_jobs(now=None) -> int:
    """Delete the file and the reading of jobs left unsaved for 30 days; the job stays, cancelled.

    A reading holds a convention's text, names and e-mails: it is kept no longer than needed.
    """
    now = now or timezone.now()
    abandoned = ImportJob.objects.filter(
        status__in=[ImportStatus.READY, ImportStatus.FAILED], created_at__lt=now - FORGOTTEN_AFTER
    )
    forgotten = 0
    for job in abandoned.only("pk"):
        if ImportJob.objects.filter(pk=job.pk, status__in=[ImportStatus.READY, ImportStatus.FAILED]).update(
            status=ImportStatus.CANCELLED, result=None, progress_label="Oubliée après 30 jours", finished_at=now
        ):
            _delete_file(job.pk)
            forgotten += 1
    return forgotten


def cancel_job(job: ImportJob) -> bool:
    """Cancel a job not saved yet: its stored file is deleted, its reading forgotten."""
    cancelled = ImportJob.objects.filter(pk=job.pk, status__in=CANCELLABLE).update(
        status=ImportStatus.CANCELLED, result=None, progress_label="", finished_at=timezone.now()
    )
    if cancelled:
        _delete_file(job.pk)
        job.refresh_from_db()
    return bool(cancelled)


# --- Saving a reviewed reading -------------------------------------------------------------------


@dataclass
class PartyReview:
    """A party as reviewed: an existing organisation, or ``organisation=None`` to create one."""

    name: str
    organisation: Organisation | None = None
    kind: str = ""
    acronym: str = ""
    siret: str = ""
    address: str = ""
    side: str = "partner"
    representative: str = ""
    representative_title: str = ""


@dataclass
class SignatoryReview:
    name: str
    title: str = ""
    signed_on: date | None = None
    precision: str = DatePrecision.DAY
    raw: str = ""
    place: str = ""
    party: int | None = None  # index in ``parties``; None: a co-signer who is not a party


@dataclass
class ArticleReview:
    number: str
    heading: str
    text: str = ""
    parent: int | None = None  # index in ``articles`` of the nearest kept ancestor


@dataclass
class CommitmentReview:
    text: str
    parties: list[int] = field(default_factory=list)  # indexes in ``parties``: one commitment for each
    article: str = ""  # the number of the article it is in
    audiences: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)


@dataclass
class ContactReview:
    name: str
    role: str = ""
    party: int | None = None
    email: str = ""
    phone: str = ""


@dataclass
class ActionReview:
    title: str
    objective: str = ""
    start: str = ""
    modalities: list[tuple[int, str]] = field(default_factory=list)  # (party index, text)


@dataclass
class ReviewData:
    """Everything the review page validated, ready to be saved."""

    convention: dict  # Convention field → value
    academies: list[Academy]
    parties: list[PartyReview]
    signatories: list[SignatoryReview] = field(default_factory=list)
    articles: list[ArticleReview] = field(default_factory=list)
    commitments: list[CommitmentReview] = field(default_factory=list)
    contacts: list[ContactReview] = field(default_factory=list)
    actions: list[ActionReview] = field(default_factory=list)
    attach_document: bool = True


POSTAL = re.compile(r"\b(\d{5})\s+([^\d,]+?)\s*$")
CIVILITY = re.compile(r"^(?:m\.|mr\.?|mme\.?|mlle\.?|madame|monsieur|mademoiselle)\s+", re.IGNORECASE)


def split_address(address: str) -> tuple[str, str, str]:
    """« 12 rue X, 13001 Marseille » → (« 12 rue X », « 13001 », « Marseille »); unsplit when no postal code."""
    address = " ".join(address.split())
    match = POSTAL.search(address)
    if not match:
        return address[:255], "", ""
    street = address[: match.start()].strip(" ,–-")
    return street[:255], match.group(1), match.group(2).strip()[:150]


def split_name(name: str) -> tuple[str, str, str]:
    """(civility, first name, last name) of a printed name: the last name is the words in capitals
    when some are (« Claire DUPONT », « DUPONT Claire »), else the last word."""
    name = " ".join(name.split())
    civility = ""
    match = CIVILITY.match(name)
    if match:
        word = fold(match.group(0)).strip(" .")
        civility = "m" if word in ("m", "mr", "monsieur") else "mme"
        name = name[match.end() :]
    words = name.split()
    if not words:
        return civility, "", ""

    def capital(word: str) -> bool:
        letters = [c for c in word if c.isalpha()]
        return len(letters) > 1 and all(c.isupper() for c in letters)

    trailing = 0
    while trailing < len(words) and capital(words[-1 - trailing]):
        trailing += 1
    leading = 0
    while leading < len(words) and capital(words[leading]):
        leading += 1
    if 0 < trailing < len(words):
        first, last = words[:-trailing], words[-trailing:]
    elif 0 < leading < len(words):
        first, last = words[leading:], words[:leading]
    else:
        first, last = words[:-1], words[-1:]
    return civility, " ".join(first)[:100], " ".join(last)[:100]


def school_year_of(convention: Convention) -> SchoolYear:
    """The school year the plan of an imported convention is for: that of its start or signature."""
    start = convention.start_date if convention.start_date else convention.signature_date()[0]
    return SchoolYear.of(start or timezone.localdate())


def _by_label(model, labels: list[str]) -> list:
    wanted = {fold(label) for label in labels if label}
    if not wanted:
        return []
    return [item for item in model.objects.all() if fold(item.label) in wanted]


def _signature_line(row) -> dict:
    """A reviewed signatory as the fields of a signature line, cut to their columns' lengths."""
    return {
        "name": row.name[:200],
        "title": row.title[:500],
        "signed_on": row.signed_on,
        "date_precision": row.precision,
        "raw_date": row.raw[:100],
        "place": row.place[:150],
    }


@transaction.atomic
def save_reviewed(job: ImportJob, data: ReviewData, by_user, notes: list[str] | None = None) -> Convention:
    """Create the convention of a reviewed reading, with its organisations, parties, signatories,
    articles, commitments, contacts, plan of actions and signed document, all or nothing.

    ``ActionRefused`` (French) when the data cannot be saved as is; any error leaves nothing
    behind, the stored document's file included. A file the registry refuses as a document does
    not block the saving: the convention is saved without it and ``notes`` receives why (French).
    """
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.status != ImportStatus.READY:
        raise ActionRefused("Cet import n’est plus à vérifier : il a déjà été enregistré ou annulé.")
    _check_indexes(data)
    stored: list[str] = []
    notes = notes if notes is not None else []
    try:
        convention = _save(locked, data, by_user, stored, notes)
    except BaseException:
        # The database rolls back; the storage does not.
        for name in stored:
            default_storage.delete(name)
        raise
    name = locked.file.name
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.SAVED, convention=convention, finished_at=timezone.now()
    )

    # Once committed, the convention holds everything (its own copy of the file included): the
    # job's reading (names, e-mails, the whole text) and stored file are no longer kept.
    def forget(name=name, job_id=job.pk):
        ImportJob.objects.filter(pk=job_id).update(result=None, file="")
        if name:
            default_storage.delete(name)

    transaction.on_commit(forget)
    return convention


def _check_indexes(data: ReviewData) -> None:
    """Every party index the data holds names one of its parties (a tampered form is refused in French)."""
    size = len(data.parties)
    indexes = [s.party for s in data.signatories if s.party is not None]
    indexes += [index for c in data.commitments for index in c.parties]
    indexes += [c.party for c in data.contacts if c.party is not None]
    indexes += [index for a in data.actions for index, _text in a.modalities]
    if any(not isinstance(index, int) or not 0 <= index < size for index in indexes):
        raise ActionRefused("Une ligne renvoie à une partie qui n’existe pas : rechargez la page et recommencez.")
    if any(not c.parties for c in data.commitments):
        raise ActionRefused("Chaque engagement doit indiquer la partie qui s’engage.")


def _organisation(row: PartyReview, academy: Academy | None, by_user) -> Organisation:
    if row.organisation is not None:
        return row.organisation
    if row.siret and Organisation.objects.filter(siret=row.siret).exists():
        raise ActionRefused(
            f"Une organisation de SIRET {row.siret} existe déjà : choisissez-la pour « {row.name} » "
            "plutôt que d’en créer une."
        )
    street, postal_code, city = split_address(row.address)
    organisation = Organisation(
        kind=row.kind,
        name=row.name[:255],
        acronym=row.acronym[:50],
        siret=row.siret,
        address=street,
        postal_code=postal_code,
        city=city,
        academy=academy,
    )
    organisation._history_user = by_user
    organisation.save()
    return organisation


def _save(job: ImportJob, data: ReviewData, by_user, stored: list[str], notes: list[str]) -> Convention:
    if not data.parties:
        raise ActionRefused("Une convention a au moins une partie : gardez ou ajoutez ses parties.")
    home = data.academies[0] if data.academies else None
    organisations = [_organisation(row, home, by_user) for row in data.parties]
    convention = Convention(**data.convention)
    party_rows = []
    for index, (row, organisation) in enumerate(zip(data.parties, organisations, strict=True)):
        signatories = tuple(
            SignatoryInput(pk=None, person=None, **_signature_line(s)) for s in data.signatories if s.party == index
        )
        party_rows.append(
            PartyInput(
                pk=None,
                organisation=organisation,
                side=row.side,
                representative_name=row.representative[:200],
                representative_title=row.representative_title[:500],
                signatories=signatories,
            )
        )
    save_convention_with_parties(
        convention,
        academies=data.academies,
        owners=[by_user],
        parties=party_rows,
        expected_version=None,
        changed_by=by_user,
    )
    parties = list(convention.parties.order_by("position"))
    position = convention.signatories.count()
    for s in data.signatories:
        if s.party is None:
            cosigner = Signatory(convention=convention, party=None, position=position, **_signature_line(s))
            cosigner._history_user = by_user
            cosigner.save()
            position += 1
    articles = _save_articles(convention, data.articles, by_user)
    _save_commitments(convention, data.commitments, parties, articles, by_user)
    _save_contacts(data.contacts, parties, home, by_user)
    if data.actions:
        _save_actions(convention, data.actions, parties, by_user)
    if data.attach_document and job.file:
        with job.file.open("rb") as source:
            content = source.read()
        try:
            # A savepoint: a refused document leaves the rest of the convention to be saved.
            with transaction.atomic():
                upload = add_document(
                    convention,
                    content=content,
                    original_name=job.original_name,
                    title="Exemplaire signé",
                    kind=DocumentKind.SIGNED,
                    confidential=False,
                    by=by_user,
                )
        except ValidationError as error:
            # The reader accepts files the registry refuses (junk before « %PDF- », restricted PDFs…):
            # saving them again would fail forever, so the convention is saved without its file.
            notes.append(f"Le fichier n’a pas pu être joint à la convention : {' '.join(error.messages)}")
        else:
            if upload.created:
                stored.append(upload.document.file.name)
    refresh_terms(convention)
    return convention


def _save_articles(convention: Convention, rows: list[ArticleReview], by_user) -> list[Article]:
    saved: list[Article] = []
    positions: dict[int | None, int] = {}
    for row in rows:
        parent = saved[row.parent] if row.parent is not None and 0 <= row.parent < len(saved) else None
        key = parent.pk if parent else None
        positions[key] = positions.get(key, -1) + 1
        article = Article(
            convention=convention,
            parent=parent,
            number=row.number[:20],
            heading=row.heading[:500],
            text=row.text,
            position=positions[key],
        )
        article._history_user = by_user
        article.save()
        saved.append(article)
    return saved


def _save_commitments(
    convention: Convention, rows: list[CommitmentReview], parties: list[Party], articles: list[Article], by_user
) -> None:
    by_number: dict[str, Article] = {}
    for article in articles:
        by_number.setdefault(article.number, article)
    position = 0
    for row in rows:
        targets = [parties[index] for index in row.parties]
        audiences = _by_label(Audience, row.audiences)
        programmes = _by_label(Programme, row.programmes)
        for party in targets:
            commitment = Commitment(
                convention=convention,
                party=party,
                article=by_number.get(row.article) if row.article else None,
                text=row.text,
                position=position,
            )
            commitment._history_user = by_user
            commitment.save()
            commitment.audiences.set(audiences)
            commitment.programmes.set(programmes)
            position += 1


def _save_contacts(rows: list[ContactReview], parties: list[Party], academy: Academy | None, by_user) -> None:
    today = timezone.localdate()
    for row in rows:
        civility, first_name, last_name = split_name(row.name)
        if not (first_name or last_name):
            continue
        person = None
        if row.email:
            person = Person.objects.editable_by(by_user).filter(email__iexact=row.email).first()
        if person is None:
            person = Person(
                civility=civility,
                first_name=first_name,
                last_name=last_name,
                email=row.email,
                phone=row.phone[:30],
                academy=academy,
                legal_basis=LegalBasis.CONTRACT,
                data_collected_on=today,
                data_source=DATA_SOURCE,
            )
            person._history_user = by_user
            person.save()
        if row.party is not None:
            organisation = parties[row.party].organisation
            if not Membership.objects.filter(
                person=person, organisation=organisation, role=PersonRole.CORRESPONDENT
            ).exists():
                membership = Membership(
                    person=person, organisation=organisation, role=PersonRole.CORRESPONDENT, title=row.role[:255]
                )
                membership._history_user = by_user
                membership.save()


def _save_actions(convention: Convention, rows: list[ActionReview], parties: list[Party], by_user) -> None:
    plan = create_plan(convention, school_year_of(convention))
    for row in rows:
        action = Action(plan=plan, title=row.title[:300], objective=row.objective, start_wording=row.start[:200])
        modalities: dict[int, str] = {}
        for index, text in row.modalities:
            party = parties[index]
            modalities[party.pk] = f"{modalities[party.pk]}\n{text}" if party.pk in modalities else text
        save_action(action, ActionInput(modalities=modalities), by_user=by_user)
