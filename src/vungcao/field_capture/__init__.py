"""Field capture (thu thập tại thực địa): commune officers fill the review's questionnaire offline on a
phone with ODK Collect, which downloads the form through the OpenRosa endpoints under ``/odk/`` and sends
each household's answers back; the answers enter the review only when an officer accepts them."""
