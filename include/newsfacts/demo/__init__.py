"""The bundled demo: a news site served on 127.0.0.1, one offline run, a plain-text report."""
