import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from consultations.models import ConsultationStatus, DateChangeKind, QuestionKind
from participation.comments.models import Channel, Stance
from participation.moderation.models import FlagReason
from participation.organisations.models import Role
from petitions.models import PetitionStatus, RejectReason, SignatureStatus


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="AuditEvent",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("actor_id", fields.IntField(null=True, db_index=True)),
                ("action", fields.CharField(db_index=True, max_length=80)),
                ("target_type", fields.CharField(max_length=50)),
                ("target_id", fields.CharField(max_length=64)),
                (
                    "data",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("prev_hash", fields.CharField(max_length=64)),
                ("hash", fields.CharField(unique=True, max_length=64)),
            ],
            options={
                "table": "audit_events",
                "app": "models",
                "indexes": [Index(fields=["target_type", "target_id"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="BlockedDomain",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("domain", fields.CharField(unique=True, max_length=254)),
                ("reason", fields.TextField(default="", unique=False)),
                ("created_by_id", fields.IntField()),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "petition_blocked_domains", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="BlockedNetwork",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("cidr", fields.CharField(unique=True, max_length=64)),
                ("reason", fields.TextField(default="", unique=False)),
                ("created_by_id", fields.IntField()),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "petition_blocked_networks", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Body",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("slug", fields.CharField(unique=True, max_length=80)),
                (
                    "parent",
                    fields.ForeignKeyField(
                        "models.Body",
                        source_field="parent_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="children",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "i18n",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("original_locale", fields.CharField(default="en", max_length=5)),
                (
                    "settings",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "bodies",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A ministry, agency or city. Name and description per language in ``i18n``.",
            },
            bases=["TranslatableMixin", "Model"],
        ),
        ops.CreateModel(
            name="CommentDigest",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("target_type", fields.CharField(max_length=40)),
                ("target_id", fields.BigIntField()),
                ("last_comment_id", fields.BigIntField(default=0)),
                ("sent_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "comment_digests",
                "app": "models",
                "unique_together": (("target_type", "target_id"),),
                "pk_attr": "id",
                "table_description": "How far the followers of a target have been told about new comments (the hourly digest",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Consultation",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("slug", fields.CharField(unique=True, max_length=120)),
                (
                    "body",
                    fields.ForeignKeyField(
                        "models.Body",
                        source_field="body_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="consultations",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "i18n",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("original_locale", fields.CharField(default="en", max_length=5)),
                ("search_text", fields.TextField(default="", unique=False)),
                ("topic", fields.CharField(default="", db_index=True, max_length=80)),
                ("region", fields.CharField(default="", db_index=True, max_length=100)),
                (
                    "status",
                    fields.CharEnumField(
                        default=ConsultationStatus.DRAFT,
                        db_index=True,
                        description="DRAFT: draft\nSCHEDULED: scheduled\nOPEN: open\nCLOSED: closed",
                        enum_type=ConsultationStatus,
                        max_length=12,
                    ),
                ),
                ("opens_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("closes_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("opened_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("closed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_by_id", fields.IntField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "consultations",
                "app": "models",
                "indexes": [
                    Index(fields=["status", "opens_at"]),
                    Index(fields=["status", "closes_at"]),
                ],
                "pk_attr": "id",
                "table_description": "Fields in ``i18n``: title, summary, body.",
            },
            bases=["TranslatableMixin", "Model"],
        ),
        ops.CreateModel(
            name="Attachment",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "consultation",
                    fields.ForeignKeyField(
                        "models.Consultation",
                        source_field="consultation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="attachments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("storage_key", fields.CharField(max_length=200)),
                ("filename", fields.CharField(max_length=200)),
                ("title", fields.CharField(default="", max_length=200)),
                ("content_type", fields.CharField(default="application/pdf", max_length=100)),
                ("size", fields.IntField()),
                ("uploaded_by_id", fields.IntField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "consultation_attachments", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ConsultationBody",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "consultation",
                    fields.ForeignKeyField(
                        "models.Consultation",
                        source_field="consultation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="owners",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "body",
                    fields.ForeignKeyField(
                        "models.Body",
                        source_field="body_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="consultation_links",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
            ],
            options={
                "table": "consultation_bodies",
                "app": "models",
                "unique_together": (("consultation", "body"),),
                "pk_attr": "id",
                "table_description": "An owning body: the creating body and every co-owner of a joint consultation.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="DateChange",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "consultation",
                    fields.ForeignKeyField(
                        "models.Consultation",
                        source_field="consultation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="date_changes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="CLOSED_EARLY: closed_early\nEXTENDED: extended",
                        enum_type=DateChangeKind,
                        max_length=20,
                    ),
                ),
                ("reason", fields.TextField(unique=False)),
                (
                    "old_closes_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "new_closes_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("actor_id", fields.IntField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "consultation_date_changes",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A public record of closing early or extending, with the official's reason.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OutboxJob",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("name", fields.CharField(max_length=100)),
                (
                    "kwargs",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("key", fields.CharField(null=True, db_index=True, max_length=200)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("run_after", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "delivered_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "done_at",
                    fields.DatetimeField(
                        null=True, db_index=True, auto_now=False, auto_now_add=False
                    ),
                ),
                ("attempts", fields.IntField(default=0)),
                ("last_error", fields.TextField(default="", unique=False)),
            ],
            options={
                "table": "outbox_jobs",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A job recorded in the same transaction as the write that needs it.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Question",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "consultation",
                    fields.ForeignKeyField(
                        "models.Consultation",
                        source_field="consultation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="questions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("position", fields.IntField()),
                (
                    "kind",
                    fields.CharEnumField(
                        description="SINGLE: single\nMULTIPLE: multiple\nSCALE: scale\nTEXT: text",
                        enum_type=QuestionKind,
                        max_length=10,
                    ),
                ),
                ("required", fields.BooleanField(default=False)),
                (
                    "i18n",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("original_locale", fields.CharField(default="en", max_length=5)),
                (
                    "options",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
            ],
            options={
                "table": "consultation_questions",
                "app": "models",
                "indexes": [Index(fields=["consultation_id", "position"])],
                "pk_attr": "id",
                "table_description": 'Field ``text`` in ``i18n``, ``options`` = [{"key": "a", "i18n": {locale: label}}].',
            },
            bases=["TranslatableMixin", "Model"],
        ),
        ops.CreateModel(
            name="Section",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "consultation",
                    fields.ForeignKeyField(
                        "models.Consultation",
                        source_field="consultation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="sections",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("position", fields.IntField()),
                (
                    "i18n",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("original_locale", fields.CharField(default="en", max_length=5)),
                ("version", fields.IntField(default=0)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "consultation_sections",
                "app": "models",
                "indexes": [Index(fields=["consultation_id", "position"])],
                "pk_attr": "id",
                "table_description": "A chapter or article. Fields in ``i18n``: title, text (the current version).",
            },
            bases=["TranslatableMixin", "Model"],
        ),
        ops.CreateModel(
            name="SectionVersion",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "section",
                    fields.ForeignKeyField(
                        "models.Section",
                        source_field="section_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="versions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("number", fields.IntField()),
                (
                    "i18n",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("original_locale", fields.CharField(default="en", max_length=5)),
                ("note", fields.TextField(default="", unique=False)),
                ("published_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("published_by_id", fields.IntField(null=True)),
            ],
            options={
                "table": "consultation_section_versions",
                "app": "models",
                "unique_together": (("section", "number"),),
                "pk_attr": "id",
                "table_description": "A published text of a section. Version 1 is taken when the consultation opens, later",
            },
            bases=["TranslatableMixin", "Model"],
        ),
        ops.CreateModel(
            name="User",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("email", fields.CharField(unique=True, max_length=254)),
                ("password_hash", fields.CharField(max_length=200)),
                ("display_name", fields.CharField(max_length=100)),
                ("locale", fields.CharField(default="en", max_length=5)),
                ("region", fields.CharField(default="", max_length=100)),
                (
                    "email_confirmed_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("is_admin", fields.BooleanField(default=False)),
                ("is_active", fields.BooleanField(default=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("auth_version", fields.IntField(default=1)),
            ],
            options={"table": "users", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="AnswerSet",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "consultation",
                    fields.ForeignKeyField(
                        "models.Consultation",
                        source_field="consultation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="answer_sets",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="answer_sets",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "answers",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("channel", fields.CharField(default="online", max_length=20)),
                ("entered_by_body_id", fields.IntField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "consultation_answer_sets",
                "app": "models",
                "unique_together": (("consultation", "user"),),
                "pk_attr": "id",
                "table_description": "One person's answers to a questionnaire (or one paper submission's answers).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Comment",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("target_type", fields.CharField(max_length=40)),
                ("target_id", fields.BigIntField()),
                (
                    "parent",
                    fields.ForeignKeyField(
                        "models.Comment",
                        source_field="parent_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="replies",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("root_id", fields.BigIntField(null=True, db_index=True)),
                ("depth", fields.SmallIntField(default=0)),
                (
                    "author",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="author_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="comments",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("author_name", fields.CharField(default="", max_length=200)),
                (
                    "stance",
                    fields.CharEnumField(
                        null=True,
                        description="FOR: for\nAGAINST: against\nNEUTRAL: neutral",
                        enum_type=Stance,
                        max_length=10,
                    ),
                ),
                ("body_raw", fields.TextField(unique=False)),
                ("body_html", fields.TextField(unique=False)),
                ("language", fields.CharField(default="", max_length=12)),
                (
                    "channel",
                    fields.CharEnumField(
                        default=Channel.ONLINE,
                        description="ONLINE: online\nPOST: post\nEMAIL: email\nMEETING: meeting\nPHONE: phone",
                        enum_type=Channel,
                        max_length=10,
                    ),
                ),
                (
                    "received_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "entered_by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="entered_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="entered_comments",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("entered_by_body_id", fields.IntField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("edited_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("deleted_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("up_count", fields.IntField(default=0)),
                ("down_count", fields.IntField(default=0)),
                ("contested", fields.BigIntField(default=0)),
                ("reply_count", fields.IntField(default=0)),
                ("text_hash", fields.CharField(db_index=True, max_length=64)),
            ],
            options={
                "table": "comments",
                "app": "models",
                "indexes": [
                    Index(fields=["target_type", "target_id", "depth", "created_at", "id"]),
                    Index(fields=["target_type", "target_id", "depth", "up_count", "id"]),
                    Index(fields=["target_type", "target_id", "depth", "contested", "id"]),
                    Index(fields=["author_id", "created_at"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CommentRevision",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "comment",
                    fields.ForeignKeyField(
                        "models.Comment",
                        source_field="comment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="revisions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("body_raw", fields.TextField(unique=False)),
                ("body_html", fields.TextField(unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "comment_revisions",
                "app": "models",
                "pk_attr": "id",
                "table_description": "The text of a comment before an edit.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Flag",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("target_type", fields.CharField(max_length=40)),
                ("target_id", fields.BigIntField()),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="flags",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "reason",
                    fields.CharEnumField(
                        description="SPAM: spam\nOFFENSIVE: offensive\nPERSONAL_DATA: personal_data\nOFF_TOPIC: off_topic\nOTHER: other",
                        enum_type=FlagReason,
                        max_length=20,
                    ),
                ),
                ("note", fields.CharField(default="", max_length=500)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "moderation_flags",
                "app": "models",
                "unique_together": (("target_type", "target_id", "user"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Follow",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "consultation",
                    fields.ForeignKeyField(
                        "models.Consultation",
                        source_field="consultation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="follows",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="consultation_follows",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "consultation_follows",
                "app": "models",
                "unique_together": (("consultation", "user"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Membership",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="memberships",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "body",
                    fields.ForeignKeyField(
                        "models.Body",
                        source_field="body_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="memberships",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "role",
                    fields.CharEnumField(
                        description="EDITOR: editor\nPUBLISHER: publisher\nMODERATOR: moderator",
                        enum_type=Role,
                        max_length=20,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "memberships",
                "app": "models",
                "unique_together": (("user", "body", "role"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ModerationState",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("target_type", fields.CharField(max_length=40)),
                ("target_id", fields.BigIntField()),
                ("flag_count", fields.IntField(default=0)),
                ("hidden_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "hidden_reason",
                    fields.CharEnumField(
                        null=True,
                        description="SPAM: spam\nOFFENSIVE: offensive\nPERSONAL_DATA: personal_data\nOFF_TOPIC: off_topic\nOTHER: other",
                        enum_type=FlagReason,
                        max_length=20,
                    ),
                ),
                ("hidden_note", fields.CharField(default="", max_length=500)),
                (
                    "hidden_by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="hidden_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="hidden_items",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "reviewed_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "moderation_states",
                "app": "models",
                "unique_together": (("target_type", "target_id"),),
                "indexes": [
                    Index(fields=["target_type", "hidden_at"]),
                    Index(fields=["flag_count"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Petition",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "body",
                    fields.ForeignKeyField(
                        "models.Body",
                        source_field="body_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="petitions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "creator",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="creator_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="petitions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("title", fields.CharField(max_length=80)),
                ("action", fields.TextField(unique=False)),
                ("background", fields.TextField(default="", unique=False)),
                ("details", fields.TextField(default="", unique=False)),
                ("language", fields.CharField(default="en", max_length=5)),
                (
                    "status",
                    fields.CharEnumField(
                        default=PetitionStatus.SPONSORING,
                        db_index=True,
                        description="SPONSORING: sponsoring\nMODERATION: moderation\nOPEN: open\nREJECTED: rejected\nCLOSED: closed",
                        enum_type=PetitionStatus,
                        max_length=12,
                    ),
                ),
                ("sponsor_token", fields.CharField(unique=True, max_length=40)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "submitted_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "moderated_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("moderator_id", fields.IntField(null=True)),
                ("opened_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("closes_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("closed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "reject_reason",
                    fields.CharEnumField(
                        null=True,
                        description="DUPLICATE: duplicate\nNOT_RESPONSIBLE: not_responsible\nOFFENSIVE: offensive\nPERSONAL_DATA: personal_data\nUNCLEAR: unclear\nNOT_ACTION: not_action",
                        enum_type=RejectReason,
                        max_length=20,
                    ),
                ),
                ("reject_text", fields.TextField(default="", unique=False)),
                ("signature_count", fields.IntField(default=0, db_index=True)),
                (
                    "region_counts",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("counted_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "response_threshold_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "debate_threshold_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("debate_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("debate_link", fields.CharField(default="", max_length=500)),
                (
                    "trending_alert_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("trending_rate", fields.IntField(default=0)),
            ],
            options={
                "table": "petitions",
                "app": "models",
                "pk_attr": "id",
                "table_description": "Citizens' text, stored as written with its language.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Invalidation",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "petition",
                    fields.ForeignKeyField(
                        "models.Petition",
                        source_field="petition_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="invalidations",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("moderator_id", fields.IntField()),
                (
                    "criteria",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("reason", fields.TextField(unique=False)),
                ("affected", fields.IntField(default=0)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("undone_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("undone_by_id", fields.IntField(null=True)),
            ],
            options={
                "table": "petition_invalidations",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A moderator's bulk removal of signatures from the count. ``undone_at`` restores them.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ResponseObligation",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "petition",
                    fields.OneToOneField(
                        "models.Petition",
                        source_field="petition_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="obligation",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("body_id", fields.IntField(db_index=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("deadline", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "responded_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "petition_response_obligations",
                "app": "models",
                "pk_attr": "id",
                "table_description": "The body must respond by ``deadline`` (created once, when the response threshold is",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Signature",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "petition",
                    fields.ForeignKeyField(
                        "models.Petition",
                        source_field="petition_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="signatures",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("name", fields.CharField(max_length=100)),
                ("email", fields.CharField(max_length=254)),
                ("canonical_email", fields.CharField(max_length=254)),
                ("region", fields.CharField(default="", max_length=40)),
                ("opt_in", fields.BooleanField(default=False)),
                ("ip", fields.CharField(default="", max_length=45)),
                ("user_id", fields.IntField(null=True)),
                ("locale", fields.CharField(default="en", max_length=5)),
                ("sponsor", fields.BooleanField(default=False)),
                (
                    "status",
                    fields.CharEnumField(
                        default=SignatureStatus.PENDING,
                        description="PENDING: pending\nCONFIRMED: confirmed",
                        enum_type=SignatureStatus,
                        max_length=10,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "confirmed_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("counted", fields.BooleanField(default=False)),
                ("suspect", fields.BooleanField(default=False)),
                ("invalidation_id", fields.IntField(null=True, db_index=True)),
            ],
            options={
                "table": "petition_signatures",
                "app": "models",
                "unique_together": (("petition", "canonical_email"),),
                "indexes": [
                    Index(fields=["status", "counted"]),
                    Index(fields=["petition_id", "ip", "created_at"]),
                ],
                "pk_attr": "id",
                "table_description": "One person's signature. ``canonical_email`` is unique per petition. E-mail, IP and name",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Vote",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("target_type", fields.CharField(max_length=40)),
                ("target_id", fields.BigIntField()),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="votes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("value", fields.SmallIntField()),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "votes",
                "app": "models",
                "unique_together": (("target_type", "target_id", "user"),),
                "indexes": [Index(fields=["user_id", "target_type", "target_id"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="VoteTally",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("target_type", fields.CharField(max_length=40)),
                ("target_id", fields.BigIntField()),
                ("up", fields.IntField(default=0)),
                ("down", fields.IntField(default=0)),
            ],
            options={
                "table": "vote_tallies",
                "app": "models",
                "unique_together": (("target_type", "target_id"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
    ]
