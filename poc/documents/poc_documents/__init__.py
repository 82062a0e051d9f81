"""poc's official documents: 申报书, 认定通知书 / 立项通知书, 认定证书, 公示, 年度绩效评价结果, 验收意见.

One module per kind of document (:mod:`.applications`, :mod:`.notices`, :mod:`.evaluations`,
:mod:`.acceptances`), what they share in :mod:`.common`. Importing this package registers poc's document types
(``PocConfig.ready()`` does); the builders are offered here, where the pages find them.
"""
from .acceptances import acceptance_opinion
from .applications import application_form, approval_notice, designation_certificate
from .common import in_chinese
from .evaluations import evaluation_result
from .notices import public_notice

__all__ = ["acceptance_opinion", "application_form", "approval_notice", "designation_certificate",
           "evaluation_result", "in_chinese", "public_notice"]
