"""The comments API: a record's thread (list, post) and one comment (read, edit, delete).

Who may call it follows the record: the caller must be able to view the record the comment is on, checked through
the record type's registration; a record or comment out of reach answers 404. Writes go through the services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.comments import selectors
from tandem.comments.api.serializers import CommentEditInput, CommentInput, CommentOutput
from tandem.comments.models import Comment
from tandem.comments.services import comments as comment_services
from tandem.core.api.inputs import validated
from tandem.core.api.parsers import JSONParser
from tandem.core.api.views import IdempotentPostMixin


class RecordCommentsView(IdempotentPostMixin, GenericAPIView):
    """The comments on one record (`type_key` such as `crm.deal`), oldest first; POST adds one."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = CommentOutput
    queryset = Comment.objects.none()  # names the model for the schema; the thread comes from the selector

    def get_permission_code(self):
        return None  # the record's own view permission, checked by the registry

    @extend_schema(responses=CommentOutput(many=True))
    def get(self, request, type_key: str, pk: int):
        thread = selectors.comment_thread(access=request.access, type_key=type_key, object_id=pk)
        page = self.paginate_queryset(thread)
        return self.get_paginated_response(CommentOutput(page, many=True).data)

    @extend_schema(request=CommentInput, responses={201: CommentOutput})
    def post(self, request, type_key: str, pk: int):
        data = {"body": request.data.get("body", ""), "files": request.FILES.getlist("files")}
        if not data["files"]:
            del data["files"]
        values = validated(CommentInput, data)
        comment = comment_services.comment_create(
            access=request.access,
            type_key=type_key,
            object_id=pk,
            body=values["body"],
            files=values.get("files", ()),
        )
        comment = selectors.comment_get(access=request.access, pk=comment.pk)
        return Response(CommentOutput(comment).data, status=status.HTTP_201_CREATED)


class CommentView(APIView):
    """One comment: read it, change its text (its author, within 15 minutes), delete it (author or admin)."""

    def get_permission_code(self):
        return None  # the record's own view permission, checked by the registry

    @extend_schema(responses=CommentOutput)
    def get(self, request, pk: int):
        return Response(CommentOutput(selectors.comment_get(access=request.access, pk=pk)).data)

    @extend_schema(request=CommentEditInput, responses=CommentOutput)
    def patch(self, request, pk: int):
        comment = selectors.comment_get(access=request.access, pk=pk)
        values = validated(CommentEditInput, request.data)
        comment_services.comment_edit(access=request.access, comment=comment, body=values["body"])
        return Response(CommentOutput(selectors.comment_get(access=request.access, pk=pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        comment = selectors.comment_get(access=request.access, pk=pk)
        comment_services.comment_delete(access=request.access, comment=comment)
        return Response(status=status.HTTP_204_NO_CONTENT)
