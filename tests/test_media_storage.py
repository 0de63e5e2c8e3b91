"""Media on S3-compatible object storage: what an editor or merchandiser uploads,
and every rendition or thumbnail made from it, lives in the bucket, not on the web
node's disk, so any node can serve it."""

import io
import json
import urllib.request
import uuid
from pathlib import Path

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.functional import empty
from PIL import Image as PILImage
from sorl.thumbnail import default as sorl_default
from wagtail.images import get_image_model

from tests.factories import product_for_sale

Image = get_image_model()

db = pytest.mark.django_db


def _png(colour="orange") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (320, 240), colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def bucket(settings, s3_server, monkeypatch):
    """Point default (public) and private storage at a new bucket in moto."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    name = f"media-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    for bucket_name in (name, f"{name}-private"):
        client.create_bucket(Bucket=bucket_name)
    # As a deployment sets it up: everyone may read the public bucket's objects.
    client.put_bucket_policy(
        Bucket=name,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{name}/*",
                    }
                ],
            }
        ),
    )
    settings.AWS_STORAGE_BUCKET_NAME = name
    settings.AWS_S3_ENDPOINT_URL = s3_server
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_QUERYSTRING_AUTH = False
    settings.AWS_S3_FILE_OVERWRITE = False
    settings.THUMBNAIL_STORAGE = "storages.backends.s3.S3Storage"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": f"{name}-private", "querystring_auth": True},
        },
    }
    # sorl-thumbnail keeps the storage it built for the process: build it anew.
    monkeypatch.setattr(sorl_default.storage, "_wrapped", empty)

    def keys(prefix=""):
        listing = client.list_objects_v2(Bucket=name, Prefix=prefix)
        return [item["Key"] for item in listing.get("Contents", [])]

    return keys


def _files_on_disk(folder: str) -> set[Path]:
    """What this run's MEDIA_ROOT holds on the node's disk."""
    root = Path(django_settings.MEDIA_ROOT) / folder
    return {path for path in root.rglob("*") if path.is_file()}


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        return response.read()


@db
def test_an_editors_upload_and_its_renditions_live_in_the_bucket(
    client, demo_user, bucket
):
    on_disk_before = _files_on_disk("")
    client.force_login(demo_user("editor"))
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "春季芒果",
            "file": SimpleUploadedFile("mango.png", _png(), "image/png"),
        },
    )
    assert response.status_code == 302, response.content[:500]
    image = Image.objects.get(title="春季芒果")

    assert image.file.name in bucket("original_images/")
    rendition = image.get_rendition("fill-120x90")
    assert rendition.file.name in bucket("images/")
    # The rendition's URL is the bucket's, fetched as a browser would.
    assert rendition.url.startswith(django_settings.AWS_S3_ENDPOINT_URL)
    assert PILImage.open(io.BytesIO(_fetch(rendition.url))).size == (120, 90)
    assert _files_on_disk("") == on_disk_before


@db
def test_a_product_pictures_thumbnail_on_its_page_is_served_from_the_bucket(
    client, bucket
):
    product = product_for_sale()
    on_disk_before = _files_on_disk("")
    product.images.create(
        original=SimpleUploadedFile("bucket-mango.png", _png("gold"), "image/png"),
        caption="",
        display_order=0,
    )

    response = client.get(product.get_absolute_url())

    assert response.status_code == 200
    thumbnails = bucket("cache/")
    assert thumbnails, "the product page made no thumbnail in the bucket"
    shown = [key for key in thumbnails if key in response.content.decode()]
    assert shown, "the page shows none of the bucket's thumbnails"
    thumbnail = _fetch(
        f"{django_settings.AWS_S3_ENDPOINT_URL}/"
        f"{django_settings.AWS_STORAGE_BUCKET_NAME}/{shown[0]}"
    )
    assert PILImage.open(io.BytesIO(thumbnail)).format == "WEBP"
    assert _files_on_disk("") == on_disk_before
