// ReDoc for /api/redoc/, offline: the system's fonts, nothing fetched from elsewhere (config/api_docs.py).
(function () {
  var container = document.getElementById("redoc-container");
  var fonts = "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', sans-serif";
  Redoc.init(container.dataset.schemaUrl, {
    theme: { typography: { fontFamily: fonts, headings: { fontFamily: fonts } } },
  }, container);
})();
