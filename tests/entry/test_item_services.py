"""indicator_actual_record and output_delivery_record: role, lock, version and audit."""

from unittest import mock

import pytest

from indicators.models import Indicator, Output
from indicators.services import indicator_actual_record, output_delivery_record
from missions.models import ChangeRecord, Report
from rbb.exceptions import DomainError, NotPermitted, ReportLocked, StaleVersion

from .factories import get_indicator, get_output, make_hq_report

pytestmark = pytest.mark.django_db


def record_indicator(item, by, *, version=None, actual="860", narrative="记录了 860 项决定和活动", explanation=""):
    return indicator_actual_record(
        indicator=item, actual=actual, actual_narrative=narrative, variance_explanation=explanation,
        version=item.version if version is None else version, by=by,
    )


class TestIndicatorActualRecord:
    def test_it_stores_the_actual_and_bumps_the_version(self, report, focal):
        item = get_indicator(report, "1.1.1")
        assert (item.actual, item.version) == ("", 1)
        record_indicator(item, focal)
        item.refresh_from_db()
        assert (item.actual, str(item.actual_value), item.version, item.updated_by) == ("860", "860.0000", 2, focal)

    def test_it_records_who_changed_each_field_from_what_to_what(self, report, focal):
        item = get_indicator(report, "1.1.1")
        record_indicator(item, focal)
        record_indicator(item, focal, actual="861", explanation="原因")
        changes = list(ChangeRecord.objects.filter(item_type="indicator", item_id=item.pk).order_by("id").values_list("field", "old_value", "new_value", "version", "actor__username", "item_label"))
        assert changes == [
            ("actual", "", "860", 2, "focal", "1.1.1"),
            ("actual_narrative", "", "记录了 860 项决定和活动", 2, "focal", "1.1.1"),
            ("actual", "860", "861", 3, "focal", "1.1.1"),
            ("variance_explanation", "", "原因", 3, "focal", "1.1.1"),
        ]

    def test_saving_the_same_values_changes_nothing(self, report, focal):
        item = get_indicator(report, "1.1.1")
        record_indicator(item, focal)
        record_indicator(item, focal)
        item.refresh_from_db()
        assert item.version == 2 and ChangeRecord.objects.filter(item_id=item.pk).count() == 2

    def test_crlf_from_browsers_is_stored_as_one_paragraph_per_line(self, report, focal):
        item = get_indicator(report, "1.1.1")
        record_indicator(item, focal, narrative="第一段\r\n第二段  \r\n")
        item.refresh_from_db()
        assert item.narrative_paragraphs == ["第一段", "第二段"] and item.actual_narrative == "第一段\n第二段"

    def test_a_stale_version_is_refused_and_nothing_is_overwritten(self, report, focal, approver):
        mine = get_indicator(report, "1.1.1")
        theirs = get_indicator(report, "1.1.1")
        record_indicator(theirs, approver, actual="900", explanation="他们的解释")
        with pytest.raises(StaleVersion) as info:
            record_indicator(mine, focal, version=1, actual="860")
        assert info.value.extra["version"] == 2
        assert info.value.extra["values"]["actual"] == "900"
        assert info.value.extra["values"]["variance_explanation"] == "他们的解释"
        assert info.value.extra["updated_by"] == "approver"
        mine.refresh_from_db()
        assert (mine.actual, mine.version) == ("900", 2)
        assert not ChangeRecord.objects.filter(actor=focal).exists()

    def test_the_update_itself_checks_the_version(self, report, focal):
        """Even when the first read saw the right version, the UPDATE … WHERE version decides."""
        item = get_indicator(report, "1.1.1")
        real_filter = Indicator.objects.filter

        def filter_after_a_concurrent_save(*args, **kwargs):
            if "version" in kwargs:
                Indicator.objects.filter(pk=item.pk).update(version=5)  # someone else won meanwhile
            return real_filter(*args, **kwargs)

        with mock.patch.object(Indicator.objects, "filter", side_effect=filter_after_a_concurrent_save):
            with pytest.raises(StaleVersion):
                record_indicator(item, focal)
        assert not ChangeRecord.objects.exists()

    @pytest.mark.parametrize("status", [Report.Status.SUBMITTED, Report.Status.ACCEPTED])
    def test_a_submitted_or_accepted_report_is_locked(self, report, focal, status):
        Report.objects.filter(pk=report.pk).update(status=status)
        item = get_indicator(report, "1.1.1")
        with pytest.raises(ReportLocked):
            record_indicator(item, focal)
        item.refresh_from_db()
        assert (item.actual, item.version) == ("", 1) and not ChangeRecord.objects.exists()

    def test_a_returned_report_can_be_changed_again(self, report, focal):
        Report.objects.filter(pk=report.pk).update(status=Report.Status.RETURNED)
        record_indicator(get_indicator(report, "1.1.1"), focal)

    @pytest.mark.parametrize("persona", ["reviewer", "admin", "viewer", "viewer_all", "outsider"])
    def test_people_who_do_not_enter_data_are_refused(self, report, personas, persona):
        with pytest.raises(NotPermitted):
            record_indicator(get_indicator(report, "1.1.1"), personas[persona])

    def test_a_focal_point_of_another_mission_is_refused(self, other_report, focal):
        with pytest.raises(NotPermitted):
            record_indicator(get_indicator(other_report, "1.1.1"), focal)

    def test_a_focal_point_limited_to_a_unit_enters_data_there_only(self, report, personas):
        limited = personas["focal_limited"]
        record_indicator(get_indicator(report, "2.1.1"), limited, actual="27%")
        with pytest.raises(NotPermitted):
            record_indicator(get_indicator(report, "1.1.1"), limited)

    def test_the_readiness_check_is_queued_on_commit(self, report, focal, django_capture_on_commit_callbacks):
        with mock.patch("rbb.tasks.report_ready_notify.delay") as delay:
            with django_capture_on_commit_callbacks(execute=True):
                record_indicator(get_indicator(report, "1.1.1"), focal)
        delay.assert_called_once_with(report_id=report.pk)


class TestOutputDeliveryRecord:
    def test_it_stores_several_numbers_of_a_compound_output(self, report, focal):
        item = get_output(report, "1.1", "2")
        output_delivery_record(output=item, completed_kind="numbers", completed="180; 841", remarks="", version=1, by=focal)
        item.refresh_from_db()
        assert (item.completed_kind, item.completed, item.completed_value, item.version) == ("numbers", "180; 841", None, 2)

    def test_yes_clears_a_number_left_behind(self, report, focal):
        item = get_output(report, "1.1", "1")
        output_delivery_record(output=item, completed_kind="number", completed="250", remarks="", version=1, by=focal)
        output_delivery_record(output=item, completed_kind="yes", completed="250", remarks="", version=2, by=focal)
        item.refresh_from_db()
        assert (item.completed_kind, item.completed, item.completed_value) == ("yes", "", None)
        fields = list(ChangeRecord.objects.filter(item_type="output", version=3).values_list("field", "old_value", "new_value"))
        assert fields == [("completed_kind", "number", "yes"), ("completed", "250", "")]

    def test_a_number_that_is_not_one_is_refused_by_the_service_too(self, report, focal):
        item = get_output(report, "1.1", "1")
        with pytest.raises(DomainError) as info:
            output_delivery_record(output=item, completed_kind="number", completed="many", remarks="", version=1, by=focal)
        assert info.value.field == "completed"
        with pytest.raises(DomainError):
            output_delivery_record(output=item, completed_kind="maybe", completed="", remarks="", version=1, by=focal)

    def test_locked_and_stale_apply_to_outputs(self, report, focal):
        item = get_output(report, "1.1", "1")
        output_delivery_record(output=item, completed_kind="yes", completed="", remarks="", version=1, by=focal)
        with pytest.raises(StaleVersion) as info:
            output_delivery_record(output=item, completed_kind="no", completed="", remarks="", version=1, by=focal)
        assert info.value.extra["values"]["completed_kind"] == "yes"
        Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBMITTED)
        with pytest.raises(ReportLocked):
            output_delivery_record(output=item, completed_kind="no", completed="", remarks="", version=2, by=focal)

    def test_headquarters_labels_carry_the_unit(self, personas):
        hq = make_hq_report()
        from missions.models import Membership

        Membership.objects.create(user=personas["outsider"], role=Membership.Role.FOCAL_POINT, mission=hq.mission)
        item = get_output(hq, "(a)", "1")
        output_delivery_record(output=item, completed_kind=Output.Completed.NUMBER, completed="77", remarks="", version=1, by=personas["outsider"])
        assert ChangeRecord.objects.get(field="completed").item_label == "I (a) / 1"
