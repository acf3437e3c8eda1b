"""National dossier status codes (TrangThaiHoSo) and their Vietnamese names."""

from enum import IntEnum


class Status(IntEnum):
    NEW_ONLINE = 1
    RECEIVED = 2
    REFUSED = 3
    IN_PROGRESS = 4
    SUPPLEMENT = 5
    AWAITING_PAYMENT = 6
    WITHDRAWN = 7
    STOPPED = 8
    RESULT_READY = 9
    RETURNED = 10

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    Status.NEW_ONLINE: "Mới đăng ký",
    Status.RECEIVED: "Được tiếp nhận",
    Status.REFUSED: "Không được tiếp nhận",
    Status.IN_PROGRESS: "Đang xử lý",
    Status.SUPPLEMENT: "Yêu cầu bổ sung giấy tờ",
    Status.AWAITING_PAYMENT: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Status.WITHDRAWN: "Công dân yêu cầu rút hồ sơ",
    Status.STOPPED: "Dừng xử lý",
    Status.RESULT_READY: "Đã xử lý xong",
    Status.RETURNED: "Đã trả kết quả",
}

# Dossiers still being worked on (the clock runs or is paused).
OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS, Status.SUPPLEMENT, Status.AWAITING_PAYMENT)

# What each history row says happened (Mẫu 06 and the dossier page name steps by these).
ACTION_LABELS = {
    "receive": "Tiếp nhận hồ sơ",
    "refuse": "Từ chối tiếp nhận",
    "handover": "Chuyển xử lý",
    "request_supplement": "Yêu cầu bổ sung hồ sơ",
    "receive_supplement": "Nhận hồ sơ bổ sung",
    "request_payment": "Yêu cầu nộp phí, lệ phí",
    "record_payment": "Ghi nhận đã nộp phí, lệ phí",
    "record_result": "Nhận kết quả giải quyết",
    "return_result": "Trả kết quả",
    "rate_service": "Đánh giá mức độ hài lòng",
    "apologise": "Xin lỗi và hẹn lại ngày trả",
    "withdraw": "Rút hồ sơ",
    "stop": "Dừng xử lý",
    "province_update": "Cập nhật từ hệ thống tỉnh",  # applied by a sync pull, not a clerk's action
    "calendar_move": "Dời ngày hẹn theo lịch làm việc",  # an administrator moved it after a calendar change
}
