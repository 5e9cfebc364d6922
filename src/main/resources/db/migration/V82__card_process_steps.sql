-- The card process ①–⑩ as the city's report draws it: the steps between the application and the
-- card ready at its site (production at J-LIS, delivery to the city, inspection, delivery to the
-- site, the notice mailed) are states too, each move kept in card_events.
ALTER TABLE cards DROP CONSTRAINT cards_state_check;
ALTER TABLE cards ADD CONSTRAINT cards_state_check CHECK (state IN ('applied', 'incomplete', 'in_production', 'delivered',
    'inspected', 'at_site', 'notice_mailed', 'ready', 'issued', 'cancelled'));
