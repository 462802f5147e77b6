"""Full screens: first run, login, sale, history, help."""
