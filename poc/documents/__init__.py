"""The PDF kit and the official documents of poc (申报书, 公示, 认定/立项通知书, 认定证书, 绩效评价结果, 验收意见)."""
